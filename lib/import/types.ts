/**
 * What a WordPress or Ghost export says, once parsed: the one shape both parsers produce
 * (lib/import/wordpress.ts, lib/import/ghost.ts) and the planner reads (lib/import/plan.ts).
 * Nothing here has touched the database; every string is still the source's.
 */
import type { PostKind, PostStatus } from '@/db/schema';

export type ImportSourceKind = 'wordpress' | 'ghost';

/** A body after conversion to our markdown (lib/import/html): what it became and what was lost. */
export type ConvertedBody = {
  markdown: string;
  /** Every image URL the markdown points at, in order, without duplicates. */
  images: string[];
  /** What our sanitiser would drop, by name: `<script>`, `<iframe src="https://…">`, `onclick` … */
  dropped: string[];
  /** Shortcodes left as text because we have no equivalent (`[contact-form-7 …]`). */
  shortcodes: string[];
  /** Set while the markdown waits on disk (then `markdown` is ''): see lib/import/spill.ts. */
  spilled?: { offset: number; bytes: number };
};

/**
 * Turns one body into markdown. `wordpress` bodies may be classic-editor text (paragraphs by blank
 * lines), block markup and shortcodes; `html` bodies (Ghost) are plain HTML.
 */
export type BodyConverter = (html: string, options: BodyConverterOptions) => ConvertedBody;

/**
 * What a parser calls for each body: convertBody itself, or the import's pool (./work.ts), which
 * answers later from a worker thread. The parser starts every conversion as the body streams past
 * and awaits them all at the end, so the next bodies are read while earlier ones convert.
 */
export type BodyConversion = (html: string, options: BodyConverterOptions) => ConvertedBody | Promise<ConvertedBody>;

/** Awaited by a parser after each chunk of its input: resolves when conversions in flight have room for more. */
export type ReadPacing = () => Promise<void>;

/** A conversion as a promise that is not an unhandled rejection before the parser awaits it. */
export function settled(result: ConvertedBody | Promise<ConvertedBody>): Promise<ConvertedBody> {
  const promise = Promise.resolve(result);
  promise.catch(() => undefined);
  return promise;
}

export type BodyConverterOptions = {
  format: 'wordpress' | 'html';
  siteUrl: string | null;
  /**
   * WordPress attachments by id, those the body's `[gallery ids="3,4"]` names that the parser has:
   * the shortcode becomes those images. Without one (or for an id not in it) the shortcode is left
   * as text and listed. A Map, not a function: a body may be converted in a worker thread.
   */
  attachments?: ReadonlyMap<string, SourceImage>;
};

export type SourceUser = {
  sourceId: string;
  /** Lower-cased; null when the export has none (then never matched to an existing account). */
  email: string | null;
  name: string;
  /** The old site's URL slug of the author (WordPress: the login's nicename; Ghost: slug). */
  slug: string;
  bio: string;
  avatarUrl: string | null;
};

export type SourceTag = {
  sourceId: string;
  slug: string;
  name: string;
  description: string;
  /** Where the old site listed it: WordPress `/category/x/` or `/tag/x/`; Ghost `/tag/x/`. */
  taxonomy: 'category' | 'tag';
  /** Ghost's internal `#tags`: kept on the post but never shown to readers. */
  internal: boolean;
};

export type SourceImage = { url: string; alt: string; caption: string };

export type SourceEntry = {
  sourceId: string;
  kind: PostKind;
  title: string;
  /** The old slug; '' when the source has none (WordPress drafts), then derived from the title. */
  slug: string;
  status: PostStatus;
  /** Why the status is not the obvious one, for the report ("password-protected: imported as a draft"). */
  statusNotes: string[];
  publishAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  body: ConvertedBody;
  /** → description. */
  excerpt: string;
  /** Source user ids, the primary author first: the byline, in order. */
  authorIds: string[];
  /** Featured on the home page (Ghost's `featured`; WordPress has none). */
  featured?: boolean;
  /** Source tag ids, in the source's order. */
  tagIds: string[];
  featureImage: SourceImage | null;
  /** The old public address (absolute or root-relative), when the source knows it. */
  link: string | null;
  /** Whatever else the source said that we keep for a future export (meta, visibility, OG fields…). */
  extra: Record<string, unknown>;
  /** Comments in the source (never imported; counted in the report). */
  commentCount: number;
};

/** Where a menu item points, resolved against the rest of the export by the planner. */
export type SourceNavTarget = { type: 'entry'; sourceId: string } | { type: 'tag'; sourceId: string } | { type: 'url'; url: string };

export type SourceNavItem = {
  sourceId: string;
  menu: 'primary' | 'footer';
  label: string;
  target: SourceNavTarget;
  position: number;
};

export type SourceBundle = {
  source: ImportSourceKind;
  /** The old site's base URL (`https://old.example`), from the export itself; null if it has none. */
  siteUrl: string | null;
  users: SourceUser[];
  tags: SourceTag[];
  entries: SourceEntry[];
  navigation: SourceNavItem[];
  /** Problems found while reading that are not fatal (an attachment that is not an image…). */
  warnings: string[];
};

/** A file that cannot be read as the format it claims: nothing is imported. */
export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}
