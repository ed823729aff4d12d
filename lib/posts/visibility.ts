import { sql, type SQL } from 'drizzle-orm';
import { posts } from '@/db/schema';

/**
 * The one rule for what readers may see: a post or page is public when it is published or
 * scheduled and its publish time has come. Decided in the query, at the moment a reader asks, so a
 * scheduled post goes live to the second without anything having to fire.
 *
 * Every public query adds one of the three forms below, which also say which kind it shows: lists,
 * feeds, search, tag and author pages and the article show posts only; `/<slug>` shows pages only;
 * the sitemap (one pass over both) either. There is deliberately no kind-less form to forget.
 */
const live = sql`${posts.status} in ('published', 'scheduled') and ${posts.publishAt} <= now()`;

/** A public post (kind 'post'): what lists, feeds, search, tag and author pages and /posts/<slug> show. */
export function isPublicPost(): SQL {
  return sql`(${posts.kind} = 'post' and ${live})`;
}

/** A public page (kind 'page'): what /<slug> shows. */
export function isPublicPage(): SQL {
  return sql`(${posts.kind} = 'page' and ${live})`;
}

/** A public post or page: only for the sitemap, which lists both in one pass (each at its own address). */
export function isPublicPostOrPage(): SQL {
  return sql`(${live})`;
}

/** The same rule for a row already in memory (used by the editor and tests, never to filter lists). */
export function isPublicAt(post: { status: string; publishAt: Date | null }, now = new Date()): boolean {
  return (post.status === 'published' || post.status === 'scheduled') && !!post.publishAt && post.publishAt <= now;
}
