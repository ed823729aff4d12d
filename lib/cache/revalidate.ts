import 'server-only';
import { revalidatePath } from 'next/cache';

/**
 * Refreshes the public pages a change affects (the post, its old path after a rename or
 * unpublish, the lists, feeds and sitemap).
 */
export function refreshPaths(paths: string[]): void {
  // A draft's autosave changes nothing readers see: no refresh at all, so the editor is not re-rendered.
  if (paths.length === 0) return;
  for (const path of paths) revalidatePath(path);
  revalidatePath('/tags/[slug]', 'page');
  revalidatePath('/authors/[slug]', 'page');
}
