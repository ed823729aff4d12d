import { z } from 'zod';
import { decodeCursor } from '@/lib/posts/cursor';
import { DEFAULT_RATE_LIMIT, MAX_KEY_NAME, MAX_RATE_LIMIT } from './limits';

/**
 * The Content API's query strings, parsed (every parameter; an unknown one is an error, not
 * ignored, so a typo such as `?tags=` is not silently a list of everything). Pure: no I/O.
 */

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 15;

export const POST_FIELDS = [
  'id',
  'slug',
  'title',
  'subtitle',
  'excerpt',
  'html',
  'feature_image',
  'feature_image_alt',
  'published_at',
  'updated_at',
  'reading_time',
  'url',
  'author',
  'authors',
  'featured',
  'tags',
] as const;
export const PAGE_FIELDS = [
  'id',
  'slug',
  'title',
  'subtitle',
  'excerpt',
  'html',
  'feature_image',
  'feature_image_alt',
  'published_at',
  'updated_at',
  'url',
] as const;
export const TAG_FIELDS = ['slug', 'name', 'description', 'url', 'count'] as const;
export const AUTHOR_FIELDS = ['slug', 'name', 'bio', 'profile_image', 'url', 'count'] as const;
export const SETTINGS_FIELDS = ['title', 'description', 'locale', 'timezone', 'url', 'posts_per_page'] as const;

export type PostField = (typeof POST_FIELDS)[number];
export type PageField = (typeof PAGE_FIELDS)[number];
export type TagField = (typeof TAG_FIELDS)[number];
export type AuthorField = (typeof AUTHOR_FIELDS)[number];
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

/** `fields=a,b`: each one of `allowed`, at least one; duplicates dropped, order kept. */
function fieldsSchema<const F extends readonly [string, ...string[]]>(allowed: F) {
  return z
    .string()
    .max(500)
    .transform((value) => [...new Set(value.split(',').map((part) => part.trim()))])
    .pipe(z.array(z.enum(allowed, { error: (issue) => `unknown field ${JSON.stringify(issue.input)}: one of ${allowed.join(', ')}` })).min(1));
}

const limit = z
  .string()
  .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_LIMIT}`)
  .transform(Number)
  .pipe(z.number().int().min(1, `must be a whole number from 1 to ${MAX_LIMIT}`).max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`));

const slugFilter = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must be a slug');

/** A cursor of the post and page lists: the (publish_at, id) of the last item, opaque. */
const postCursor = z.string().transform((value, ctx) => {
  const cursor = decodeCursor(value);
  if (!cursor) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave (use meta.next as it is)' });
    return z.NEVER;
  }
  return cursor;
});

const SLUG_CURSOR_PREFIX = 's|';
export const encodeSlugCursor = (slug: string) => Buffer.from(SLUG_CURSOR_PREFIX + slug).toString('base64url');

/** A cursor of the tag and author lists: the last slug, opaque. */
const slugCursor = z.string().transform((value, ctx) => {
  const decoded = /^[A-Za-z0-9_-]{1,400}$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const slug = decoded.startsWith(SLUG_CURSOR_PREFIX) ? decoded.slice(SLUG_CURSOR_PREFIX.length) : '';
  if (!slugFilter.safeParse(slug).success) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave (use meta.next as it is)' });
    return z.NEVER;
  }
  return slug;
});

const updatedSince = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date and time, such as 2026-01-31T09:00:00Z' })
  .transform((value) => new Date(value));

/** `key` is read by the access check; it is allowed in every query string. */
const key = z.string().optional();

export const postListQuerySchema = z.strictObject({
  key,
  limit: limit.default(DEFAULT_LIMIT),
  cursor: postCursor.optional(),
  tag: slugFilter.optional(),
  author: slugFilter.optional(),
  updated_since: updatedSince.optional(),
  fields: fieldsSchema(POST_FIELDS).optional(),
});
export const pageListQuerySchema = z.strictObject({
  key,
  limit: limit.default(DEFAULT_LIMIT),
  cursor: postCursor.optional(),
  updated_since: updatedSince.optional(),
  fields: fieldsSchema(PAGE_FIELDS).optional(),
});
export const tagListQuerySchema = z.strictObject({
  key,
  limit: limit.default(DEFAULT_LIMIT),
  cursor: slugCursor.optional(),
  fields: fieldsSchema(TAG_FIELDS).optional(),
});
export const authorListQuerySchema = z.strictObject({
  key,
  limit: limit.default(DEFAULT_LIMIT),
  cursor: slugCursor.optional(),
  fields: fieldsSchema(AUTHOR_FIELDS).optional(),
});
export const postItemQuerySchema = z.strictObject({ key, fields: fieldsSchema(POST_FIELDS).optional() });
export const pageItemQuerySchema = z.strictObject({ key, fields: fieldsSchema(PAGE_FIELDS).optional() });
export const tagItemQuerySchema = z.strictObject({ key, fields: fieldsSchema(TAG_FIELDS).optional() });
export const authorItemQuerySchema = z.strictObject({ key, fields: fieldsSchema(AUTHOR_FIELDS).optional() });
export const settingsQuerySchema = z.strictObject({ key, fields: fieldsSchema(SETTINGS_FIELDS).optional() });
export const slugSchema = slugFilter;

export type PostListQuery = z.infer<typeof postListQuerySchema>;
export type PageListQuery = z.infer<typeof pageListQuerySchema>;
export type SlugListQuery = { limit: number; cursor?: string; fields?: readonly string[] };

/** What a bad query string is told: the parameter and what is wrong with it. */
export class QueryError extends Error {
  override name = 'QueryError';
  constructor(
    message: string,
    readonly parameter: string | null,
  ) {
    super(message);
  }
}

/**
 * A query string → the schema's output, or a QueryError naming the parameter. A parameter given
 * twice is refused (which one would win is a guess).
 */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in raw) throw new QueryError(`${name}: given more than once`, name);
    raw[name] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const name = issue.keys[0];
    return fail(`${name}: unknown parameter`, name);
  }
  const name = issue.path[0]?.toString() ?? null;
  return fail(name ? `${name}: ${issue.message}` : issue.message, name);
}

function fail(message: string, parameter: string | null): never {
  throw new QueryError(message, parameter);
}

// Key management (admins, /editor/integrations).
export { MAX_CONTENT_API_KEYS, MAX_KEY_NAME, DEFAULT_RATE_LIMIT } from './limits';

export const contentApiKeyInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the key a name: what uses it.').max(MAX_KEY_NAME, `At most ${MAX_KEY_NAME} characters.`),
  rateLimit: z.coerce
    .number({ error: 'Requests per minute must be a number.' })
    .int('Requests per minute must be a whole number.')
    .min(1, 'At least 1 request per minute.')
    .max(MAX_RATE_LIMIT, 'At most 100,000 requests per minute.')
    .default(DEFAULT_RATE_LIMIT),
});
export const contentApiKeyIdSchema = z.object({ id: z.uuid('Unknown key.') });

export type ContentApiKeyInput = z.input<typeof contentApiKeyInputSchema>;
