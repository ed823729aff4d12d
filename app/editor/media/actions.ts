'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction, type ActionResult } from '@/lib/actions';
import { MAX_TEXT } from '@/lib/content/frontmatter';
import { deleteMedia, updateMediaAlt } from '@/lib/media/mutations';

const idSchema = z.object({ id: z.uuid('Not a media item.') });
const altSchema = idSchema.extend({
  alt: z.string().trim().max(MAX_TEXT, `Alt text is longer than ${MAX_TEXT} characters.`),
});

/** Change an image's default alt text (used when it is inserted next time). */
export async function updateMediaAltAction(input: unknown): Promise<ActionResult<{ alt: string }>> {
  return runAction(altSchema, input, async (i) => {
    const media = await updateMediaAlt(i);
    revalidatePath('/editor/media');
    return { alt: media.alt };
  });
}

/** Delete an image for ever; the layer refuses while a post still uses it. */
export async function deleteMediaAction(input: unknown): Promise<ActionResult<true>> {
  return runAction(idSchema, input, async (i) => {
    await deleteMedia(i);
    revalidatePath('/editor/media');
    return true as const;
  });
}
