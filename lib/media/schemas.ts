import { z } from 'zod';
import { MAX_TEXT } from '@/lib/content/frontmatter';

export const mediaIdSchema = z.uuid('Unknown image.');
export const altSchema = z.string().trim().max(MAX_TEXT, `Alt text is longer than ${MAX_TEXT} characters.`);

export const uploadInputSchema = z.object({
  file: z.instanceof(File, { message: 'Choose an image to upload.' }),
  alt: altSchema.optional().default(''),
  postId: z
    .uuid('Unknown post.')
    .nullish()
    .transform((value) => value ?? null),
});

export const updateAltInputSchema = z.object({ id: mediaIdSchema, alt: altSchema });
export const deleteInputSchema = z.object({ id: mediaIdSchema });

export const listInputSchema = z.object({
  q: z.string().trim().max(200).default(''),
  after: z.string().max(200).nullable().default(null),
});
