'use server';

import { revalidatePath } from 'next/cache';
import { runAction, type ActionResult } from '@/lib/actions';
import { refreshPaths } from '@/lib/cache/revalidate';
import { deleteTag, tagIdSchema, updateTag, updateTagSchema, type TagChange } from '@/lib/tags/admin';

function refresh({ publicPaths }: TagChange): void {
  refreshPaths(publicPaths);
  // Post pages list their tags by name and link.
  revalidatePath('/posts/[slug]', 'page');
}

/** Rename a tag or move it to a new slug (its old /tags/ page then answers 404). */
export async function updateTagAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(updateTagSchema, Object.fromEntries(form), async (input) => {
    refresh(await updateTag(input));
    return 'Saved.';
  });
}

/** Delete a tag; its posts keep everything else. */
export async function deleteTagAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(tagIdSchema, Object.fromEntries(form), async (input) => {
    refresh(await deleteTag(input));
    return 'Deleted.';
  });
}
