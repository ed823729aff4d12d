import { parseDocument } from 'yaml';
import { z } from 'zod';
import { postStatuses } from '@/db/schema';
import { MAX_SLUG_LENGTH, SLUG_PATTERN, slugify } from '@/lib/slug';

/**
 * The import format: markdown with YAML frontmatter, as in content/*.md. Known keys are parsed
 * strictly; unknown keys are kept (in `extra`) so an export gives back what was imported.
 */
export const MAX_TITLE = 300;
export const MAX_TEXT = 2_000;
export const MAX_BODY = 1_000_000;
/**
 * The frontmatter block itself: far above any real one (the longest fields are 2,000 characters),
 * and low enough that YAML parsing stays fast (its duplicate-key check is quadratic: 50,000 keys
 * took a minute).
 */
export const MAX_FRONTMATTER_CHARS = 32_768;
export const MAX_FRONTMATTER_LINES = 500;

/** "2024-01-25" (a day, midnight UTC) or a full ISO timestamp with an offset. Impossible dates refused. */
export const contentDateSchema = z
  .string({ error: 'must be a date like 2024-01-25' })
  .trim()
  .transform((value, ctx) => {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (day) {
      const date = new Date(`${value}T00:00:00.000Z`);
      if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return date;
    } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
      const date = new Date(value);
      const [y, m, d] = value.slice(0, 10).split('-').map(Number);
      // Reject rollovers such as 2024-02-30T10:00Z, which Date would quietly turn into March.
      const probe = new Date(Date.UTC(y, m - 1, d));
      if (!Number.isNaN(date.getTime()) && probe.getUTCDate() === d && probe.getUTCMonth() === m - 1) return date;
    }
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a real date (use YYYY-MM-DD or an ISO timestamp)` });
    return z.NEVER;
  });

/** "8 mins", "1 min", "12 minutes" or 8 → 8. */
export const readTimeSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const match = /^\s*(\d{1,3})\s*(m|mins?|minutes?)?\s*$/i.exec(String(value));
  const minutes = match ? Number(match[1]) : NaN;
  if (Number.isInteger(minutes) && minutes >= 1 && minutes <= 600) return minutes;
  ctx.addIssue({ code: 'custom', message: `"${value}" is not a reading time like "8 mins"` });
  return z.NEVER;
});

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .trim()
    .max(max, `is longer than ${max} characters`);

/** http(s) URLs, or a path on this site. Nothing else may become an image source. */
export const imageUrlSchema = text(2_000).refine(
  // A path must stay on this site: browsers read "/\\host" like "//host".
  (v) => v === '' || /^\/(?![\/\\])[^\s"'<>\\\u0000-\u001f]*$/.test(v) || /^https?:\/\/[^\s"'<>\\]+$/i.test(v),
  'must be an http(s) URL or a path starting with /',
);

const tagsSchema = z
  .union([z.array(z.union([z.string(), z.number()])), z.string()])
  .transform((value) => (Array.isArray(value) ? value.map(String) : value.split(',')))
  .transform((names) => [...new Set(names.map((n) => n.trim()).filter(Boolean))])
  .pipe(z.array(text(60).min(1)).max(30, 'has more than 30 tags'));

const authorsSchema = z
  .array(text(120).min(1, 'has an empty name'))
  .min(1, 'is empty')
  .max(10, 'has more than 10 authors')
  .refine((names) => new Set(names).size === names.length, 'names an author twice');

export const frontmatterSchema = z.looseObject({
  title: text(MAX_TITLE).min(1, 'is missing'),
  subtitle: text(MAX_TEXT).default(''),
  description: text(MAX_TEXT).default(''),
  /** The primary author; may be left out when `authors` is given (its first is the primary). */
  author: text(120).min(1, 'is missing').optional(),
  /** Every author in byline order, the first the primary (it must then be `author`, if that is given too). */
  authors: authorsSchema.optional(),
  featured: z.boolean().default(false),
  /** A series' name. Any other shape (a file written for another tool: `{name, part}`) is kept in `extra` as it was. */
  series: z.unknown().optional(),
  read_time: readTimeSchema.optional(),
  publish_date: contentDateSchema.optional(),
  created_date: contentDateSchema.optional(),
  heroImage: imageUrlSchema.optional(),
  heroImageAlt: text(MAX_TEXT).default(''),
  cta: text(MAX_TEXT).default(''),
  slug: z
    .string()
    .trim()
    .max(MAX_SLUG_LENGTH)
    .regex(SLUG_PATTERN, 'must be lower-case letters, digits and single hyphens')
    .optional(),
  tags: tagsSchema.default([]),
  status: z.enum(postStatuses, { error: `must be one of ${postStatuses.join(', ')}` }).default('published'),
});

const KNOWN_KEYS = new Set(Object.keys(frontmatterSchema.shape));

export type ContentDocument = {
  slug: string;
  title: string;
  subtitle: string;
  description: string;
  /** The primary author: `authors[0]`. */
  author: string;
  /** Everyone in the byline, in order (at least the primary author). */
  authors: string[];
  featured: boolean;
  /** The series' name, or null. */
  series: string | null;
  readTimeOverride: number | null;
  publishAt: Date | null;
  createdAt: Date | null;
  heroImage: string | null;
  heroImageAlt: string;
  cta: string;
  tags: string[];
  status: (typeof postStatuses)[number];
  extra: Record<string, unknown>;
  markdown: string;
};

export class ContentError extends Error {
  override name = 'ContentError';
}

const FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Parses one file's text. Throws ContentError with a reader-friendly message naming the problem. */
export function parseContent(source: string): ContentDocument {
  if (source.includes('\u0000')) throw new ContentError('contains a NUL character');
  const match = FENCE.exec(source.replace(/^\uFEFF/, ''));
  if (!match) throw new ContentError('has no frontmatter (a --- block at the top)');
  if (match[1].length > MAX_FRONTMATTER_CHARS) {
    throw new ContentError(`has frontmatter longer than ${MAX_FRONTMATTER_CHARS} characters`);
  }
  if (match[1].split('\n').length > MAX_FRONTMATTER_LINES) {
    throw new ContentError(`has frontmatter longer than ${MAX_FRONTMATTER_LINES} lines`);
  }
  const yaml = parseDocument(match[1], { prettyErrors: false, uniqueKeys: true });
  if (yaml.errors.length > 0) throw new ContentError(`has malformed YAML: ${yaml.errors[0].message.split('\n')[0]}`);
  let data: unknown;
  try {
    data = yaml.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // Alias bombs and aliases to unknown anchors.
    throw new ContentError(`has malformed YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (JSON.stringify(data ?? null).includes('\\u0000')) throw new ContentError('contains a NUL character');
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ContentError('has frontmatter that is not a set of key: value pairs');
  }
  const parsed = frontmatterSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'frontmatter';
    throw new ContentError(`${field} ${issue.message}`);
  }
  const fm = parsed.data;
  const markdown = source.slice(match[0].length + (source.startsWith('\uFEFF') ? 1 : 0)).replace(/^\r?\n/, '');
  if (markdown.length > MAX_BODY) throw new ContentError(`body is longer than ${MAX_BODY} characters`);
  if ((fm.status === 'published' || fm.status === 'scheduled') && !fm.publish_date) {
    throw new ContentError(`publish_date is missing (required for a ${fm.status} post)`);
  }
  if (!fm.author && !fm.authors) throw new ContentError('author is missing');
  const authors = fm.authors ?? [fm.author!];
  if (fm.author && fm.author !== authors[0]) throw new ContentError(`author "${fm.author}" must be the first of authors`);
  const extra = Object.fromEntries(Object.entries(fm).filter(([key]) => !KNOWN_KEYS.has(key)));
  const seriesName = typeof fm.series === 'string' ? fm.series.trim() : null;
  if (fm.series !== undefined && typeof fm.series !== 'string') extra.series = fm.series;
  if (seriesName && seriesName.length > 120) throw new ContentError('series is longer than 120 characters');
  return {
    slug: fm.slug ?? slugify(fm.title),
    title: fm.title,
    subtitle: fm.subtitle,
    description: fm.description,
    author: authors[0],
    authors,
    featured: fm.featured,
    series: seriesName || null,
    readTimeOverride: fm.read_time ?? null,
    publishAt: fm.publish_date ?? null,
    createdAt: fm.created_date ?? null,
    heroImage: fm.heroImage || null,
    heroImageAlt: fm.heroImageAlt,
    cta: fm.cta,
    tags: fm.tags,
    status: fm.status,
    extra,
    markdown,
  };
}

/** A date as the import format writes it: a bare day when it is midnight UTC, else a full timestamp. */
export function formatContentDate(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
