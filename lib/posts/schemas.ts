import { z } from 'zod';
import { imageUrlSchema, MAX_BODY, MAX_TEXT, MAX_TITLE } from '@/lib/content/frontmatter';
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from '@/lib/slug';

export const MAX_AUTHORS = 10;
export const MAX_SERIES_NAME = 120;

/** Every field of the post form. Limits are documented in README (Configuration → Limits). */
export const postFieldsSchema = z.object({
  title: z.string().trim().max(MAX_TITLE, `Title is longer than ${MAX_TITLE} characters.`),
  subtitle: z.string().trim().max(MAX_TEXT, `Subtitle is longer than ${MAX_TEXT} characters.`),
  description: z.string().trim().max(MAX_TEXT, `Description is longer than ${MAX_TEXT} characters.`),
  slug: z.union([
    z.literal(''),
    z
      .string()
      .trim()
      .max(MAX_SLUG_LENGTH, `Slug is longer than ${MAX_SLUG_LENGTH} characters.`)
      .regex(SLUG_PATTERN, 'Slug may only have lower-case letters, digits and single hyphens.'),
  ]),
  heroImage: imageUrlSchema,
  heroImageAlt: z.string().trim().max(MAX_TEXT, `Alt text is longer than ${MAX_TEXT} characters.`),
  cta: z.string().trim().max(MAX_TEXT, `Call to action is longer than ${MAX_TEXT} characters.`),
  tags: z.array(z.string().trim().min(1).max(60, 'A tag is longer than 60 characters.')).max(30, 'A post can have at most 30 tags.'),
  readTimeOverride: z.number().int().min(1, 'Reading time is at least 1 minute.').max(600, 'Reading time is at most 600 minutes.').nullable(),
  markdown: z.string().max(MAX_BODY, `The body is longer than the limit of ${MAX_BODY.toLocaleString('en')} characters (1 MB).`),
  /** "Also send by email" (posts only; lib/newsletters/mutations.ts decides whether a save may change it). Absent: unchanged. */
  sendEmail: z.boolean().optional(),
  /** Featured on the home page (editors and admins only: lib/posts/publication.ts refuses anyone else's change). Absent: unchanged. */
  featured: z.boolean().optional(),
  /** Everyone in the byline, in order, by user id: the first is the primary author. Absent: unchanged. */
  authors: z
    .array(z.uuid('Unknown author.'))
    .min(1, 'A post needs an author.')
    .max(MAX_AUTHORS, `A post can have at most ${MAX_AUTHORS} authors.`)
    .refine((ids) => new Set(ids).size === ids.length, 'An author is listed twice.')
    .optional(),
  /** The series' name ('' for none); a name no series has yet starts a new one. Absent: unchanged. */
  series: z.string().trim().max(MAX_SERIES_NAME, `A series name is longer than ${MAX_SERIES_NAME} characters.`).optional(),
});
export type PostFields = z.infer<typeof postFieldsSchema>;

/**
 * The one limit no schema can see: PostgreSQL's search index (tsvector) of a post must stay under
 * 1 MB, which a 1 MB body of many different words exceeds. The database refuses it (54000, "string
 * is too long for tsvector"); the save and the import turn that into this message.
 */
export const SEARCH_INDEX_REFUSAL = 'The body has too many different words to be indexed for search (the index of one post is limited to 1 MB): shorten it.';

export function isTooLongForSearchIndex(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const { code } = error as { code?: unknown };
  if (code === '54000' && /too long for tsvector/i.test(error.message)) return true;
  // drizzle wraps the driver's error as `cause`.
  return isTooLongForSearchIndex((error as { cause?: unknown }).cause, depth + 1);
}

export const postIdSchema = z.uuid('Unknown post.');
export const baseVersionSchema = z.number().int().min(1);

export const saveInputSchema = z.object({
  id: postIdSchema,
  baseVersion: baseVersionSchema,
  fields: postFieldsSchema,
  autosave: z.boolean().default(false),
});

export const transitionInputSchema = z.object({
  id: postIdSchema,
  baseVersion: baseVersionSchema,
  fields: postFieldsSchema,
});

export const scheduleInputSchema = transitionInputSchema.extend({
  publishAt: z.iso.datetime({ offset: true, error: 'Pick a date and time.' }).transform((s) => new Date(s)),
});

export const idInputSchema = z.object({ id: postIdSchema });

export const editorListSchema = z.object({
  status: z.enum(['all', 'draft', 'review', 'scheduled', 'published', 'trash']).catch('all').default('all'),
  q: z.string().trim().max(200).catch('').default(''),
  after: z.string().max(200).nullable().catch(null).default(null),
});

/** A post's editable fields, all empty: a new draft's form (lib/posts/new-draft.ts), and the tests' starting point. */
export function emptyPostFields(): PostFields {
  return { title: '', subtitle: '', description: '', slug: '', heroImage: '', heroImageAlt: '', cta: '', tags: [], readTimeOverride: null, markdown: '' };
}
