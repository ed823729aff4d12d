import 'server-only';
import { revalidatePath } from 'next/cache';

/**
 * Refreshes the public pages a change affects (the post, its old path after a rename or
 * unpublish, the lists, feeds and sitemap) and the editor's own views.
 */
export function refreshPaths(paths: string[]): void {
  for (const path of paths) revalidatePath(path);
  revalidatePath('/tags/[slug]', 'page');
  revalidatePath('/authors/[slug]', 'page');
  revalidatePath('/editor', 'layout');
}
