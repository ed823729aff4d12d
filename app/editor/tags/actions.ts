'use server';

import { runAction, type ActionResult } from '@/lib/actions';
import { announce, changeFromPaths } from '@/lib/cache/revalidate';
import { deleteTag, tagIdSchema, updateTag, updateTagSchema, type TagChange } from '@/lib/tags/admin';

async function refresh({ publicPaths }: TagChange): Promise<void> {
  if (publicPaths.length === 0) return;
  // Post pages list their tags by name and link: every page may show this tag.
  await announce({ ...changeFromPaths(publicPaths), all: true }, publicPaths);
}

/** Rename a tag or move it to a new slug (its old /tags/ page then answers 404). */
export async function updateTagAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(updateTagSchema, Object.fromEntries(form), async (input) => {
    await refresh(await updateTag(input));
    return 'Saved.';
  });
}

/** Delete a tag; its posts keep everything else. */
export async function deleteTagAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(tagIdSchema, Object.fromEntries(form), async (input) => {
    await refresh(await deleteTag(input));
    return 'Deleted.';
  });
}
