import 'server-only';
import { revalidatePath } from 'next/cache';
import { pinToPrimary } from '@/db/replica';
import { installedPageCache, installedWarmer } from './global';
import { notifyChange } from './notify';
import { isReservedPageSlug } from '@/lib/posts/reserved-slugs';
import { SLUG_PATTERN } from '@/lib/slug';
import type { Change } from './page-cache';

const ARTICLE = /^\/posts\/([^/]+)$/;
const TOP_LEVEL = /^\/([^/]+)$/;

/**
 * The public paths a mutation reports → what the page cache must forget: `/posts/<slug>` and a
 * page's `/<slug>` by slug (one namespace), anything else (home, feeds, sitemap…) as the lists.
 */
export function changeFromPaths(paths: string[]): Change {
  const change: Change = { posts: [], lists: false };
  for (const path of paths) {
    const article = ARTICLE.exec(path);
    const page = TOP_LEVEL.exec(path);
    if (article) change.posts!.push(article[1]);
    else if (page && SLUG_PATTERN.test(page[1]) && !isReservedPageSlug(page[1])) change.posts!.push(page[1]);
    else change.lists = true;
  }
  return change;
}

/**
 * A change readers will see: this process forgets the affected pages at once (so the writer's
 * next request shows their own write) and starts rendering them again in the background
 * (lib/server/warm.ts), every other server hears it through PostgreSQL (and does the same), and
 * the browser's router is told to refetch.
 */
export async function announce(change: Change, paths: string[] = []): Promise<void> {
  // Until the replica (if any) has this change, public reads here go to the primary.
  pinToPrimary();
  installedPageCache()?.expire(change);
  installedWarmer()?.(change, paths);
  await notifyChange(change, paths);
  for (const path of paths) revalidatePath(path);
  if (change.all) revalidatePath('/', 'layout');
}

/**
 * Refreshes the public pages a change affects (the post, its old path after a rename or
 * unpublish, the lists, feeds and sitemap). `scheduled`: the post now waits for a moment, so the
 * servers must learn the new due time even though nothing public changed yet.
 */
export async function refreshPaths(paths: string[], { scheduled = false } = {}): Promise<void> {
  // A draft's autosave changes nothing readers see: no refresh at all, so the editor is not re-rendered.
  if (paths.length === 0) {
    if (scheduled) await notifyChange({});
    return;
  }
  await announce(changeFromPaths(paths), paths);
}
