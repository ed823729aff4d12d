import 'server-only';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { posts, type PostStatus } from '@/db/schema';
import { imageUrlSchema, MAX_TEXT, MAX_TITLE } from '@/lib/content/frontmatter';
import { isReservedPageSlug } from '@/lib/posts/reserved-slugs';
import { MAX_SLUG_LENGTH, slugify, SLUG_PATTERN } from '@/lib/slug';
import { stableJson, type ImportContext } from './context';
import type { Placed } from './old-urls';
import type { EntryLine } from './report';
import { htmlToText, UrlRewriter } from './text';
import type { SourceEntry } from './types';
import { writeBatch, type Existing, type Prepared } from './write-batch';
import { fallbackAuthor, MAX_TAG_NAME, tagSlug } from './write-people';

const MAX_TAGS = 30;
/**
 * Entries per batch: one savepoint and one multi-row insert per table per batch. Per entry, the
 * ~15 round trips took ~10 ms of the 20 ms each entry cost (10,000 posts: 103 s of 197 s). 100
 * wrote as fast as 200 (80 s vs 81 s for the whole bench) with a lower peak RSS (661 vs 711 MB).
 */
const BATCH = 100;

function clip(text: string, max: number, what: string, problems: string[]): string {
  if (text.length <= max) return text;
  problems.push(`${what} was longer than ${max} characters: shortened`);
  return text.slice(0, max);
}

/** The source's own slug, decoded; '' when it has none (then the title gives one). */
function sourceSlug(entry: SourceEntry): string {
  try {
    return decodeURIComponent(entry.slug);
  } catch {
    return entry.slug;
  }
}

/** A slug nobody has (posts, pages, old slugs, and for pages the site's own routes); a problem when it had to change. */
function claimSlug(ctx: ImportContext, entry: SourceEntry): { slug: string; problem?: string } {
  const wanted = sourceSlug(entry);
  const base = SLUG_PATTERN.test(wanted) && wanted.length <= MAX_SLUG_LENGTH ? wanted : slugify(wanted || entry.title, entry.kind);
  const free = (slug: string) => !ctx.takenSlugs.has(slug) && !(entry.kind === 'page' && isReservedPageSlug(slug));
  let slug = base;
  for (let n = 2; !free(slug); n += 1) slug = `${base.slice(0, MAX_SLUG_LENGTH - 1 - String(n).length)}-${n}`;
  ctx.takenSlugs.add(slug);
  if (slug === base) return { slug };
  const why = entry.kind === 'page' && isReservedPageSlug(base) ? 'is used by the site itself' : 'was taken';
  return { slug, problem: `slug "${base}" ${why}: imported as "${slug}"` };
}

/** Every post this source made before, in ONE query (it was one select per entry: 103 s of a no-op re-import). */
async function loadExisting(ctx: ImportContext): Promise<Map<string, Existing>> {
  const ids = [...ctx.keys].filter(([key]) => key.startsWith('post:')).map(([, id]) => id);
  const bySourceId = new Map<string, Existing>();
  if (ids.length === 0) return bySourceId;
  const { rows } = await ctx.tx.execute<Existing>(
    sql`select id, slug, kind, ${posts.extra}->'import'->>'fingerprint' as fingerprint from ${posts} where id = any(string_to_array(${ids.join(',')}, ',')::uuid[])`,
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const [key, id] of ctx.keys) {
    const row = key.startsWith('post:') ? byId.get(id) : undefined;
    if (row) bySourceId.set(key.slice('post:'.length), row);
  }
  return bySourceId;
}

type Lookups = {
  mediaUrls: Map<string, string>;
  rewriter: UrlRewriter;
  userIds: Map<string, string>;
  tagNames: Map<string, string>;
  internalTags: Map<string, string>;
  remoteReasons: Map<string, string>;
  fallbackId: string | null;
};

/**
 * Every post and page, in batches, reported in file order. Batch N is written while batch N+1 is
 * rendered (~10 ms of CPU per entry, which ran between the queries): PostgreSQL works on the other
 * core. One connection, one query at a time: only writeBatch queries while a batch is in flight.
 */
export async function writeEntries(ctx: ImportContext, mediaUrls: Map<string, string>, placed: Placed): Promise<void> {
  const userIds = new Map<string, string>();
  for (const user of ctx.bundle.users) {
    const id = ctx.keys.get(`user:${user.sourceId}`);
    if (id) userIds.set(user.sourceId, id);
  }
  const tagNames = new Map<string, string>();
  const internalTags = new Map<string, string>();
  for (const tag of ctx.bundle.tags) {
    if (tag.internal) internalTags.set(tag.sourceId, tag.name);
    else tagNames.set(tag.sourceId, tag.name.trim().slice(0, MAX_TAG_NAME) || tag.slug);
  }
  const entries = ctx.bundle.entries;
  // Before the first batch: no query of ours may land inside a batch's savepoint.
  const orphan = entries.some((entry) => !entry.authorIds.some((id) => userIds.has(id)));
  const fallbackId = orphan ? await fallbackAuthor(ctx) : null;
  const lookups: Lookups = {
    mediaUrls,
    rewriter: new UrlRewriter(mediaUrls),
    userIds,
    tagNames,
    internalTags,
    remoteReasons: new Map(ctx.report.remoteImages.map((image) => [image.url, image.reason])),
    fallbackId,
  };

  const existing = await loadExisting(ctx);
  // The sources' own slugs first, then those made from titles: a slugless draft never takes the
  // slug a later published post had on the old site (98 such posts got "-2" in the 10,000-post bench).
  const slugs = new Map<SourceEntry, { slug: string; problem?: string }>();
  for (const explicit of [true, false]) {
    for (const entry of entries) {
      if (!existing.has(entry.sourceId) && !!entry.slug === explicit) slugs.set(entry, claimSlug(ctx, entry));
    }
  }

  const tagIds = new Map<string, string>();
  let inFlight: { batch: Prepared[]; written: Promise<void> } | null = null;
  let done = 0;
  const finish = async (flight: { batch: Prepared[]; written: Promise<void> }) => {
    await flight.written;
    for (const item of flight.batch) {
      const { line, entry } = item;
      ctx.report.entries.push(line);
      ctx.report.totals[entry.kind === 'page' ? 'pages' : 'posts'][line.outcome] += 1;
      if (line.path && line.outcome !== 'skipped') {
        placed.entries.set(entry.sourceId, { path: line.path, public: line.status === 'published' || line.status === 'scheduled' });
      }
    }
    done += flight.batch.length;
    ctx.options.onProgress?.({ phase: 'writing', done, total: entries.length });
  };
  for (let start = 0; start < entries.length; start += BATCH) {
    const batch = entries.slice(start, start + BATCH).map((entry) => prepareEntry(ctx, entry, lookups, existing.get(entry.sourceId), slugs.get(entry)));
    // All at once: with worker threads they render side by side; inline, one per turn.
    const rendered = batch.map((item) => (item.line.outcome === 'unchanged' ? null : ctx.work.render(item.markdown)));
    for (const promise of rendered) promise?.catch(() => undefined); // awaited below, in order
    for (const [index, item] of batch.entries()) {
      const outcome = await rendered[index];
      if (!outcome) continue;
      if ('columns' in outcome) item.columns = outcome.columns;
      else item.problems.push(`not imported: the body ${outcome.refused.charAt(0).toLowerCase()}${outcome.refused.slice(1)}`);
    }
    if (inFlight) await finish(inFlight);
    const written = writeBatch(ctx, batch, tagIds);
    written.catch(() => undefined); // awaited by finish(); until then, not an unhandled rejection
    inFlight = { batch, written };
  }
  if (inFlight) await finish(inFlight);
}

/** What one entry becomes: its columns, tags, fingerprint and report line; `unchanged` when the fingerprint matches. */
function prepareEntry(
  ctx: ImportContext,
  entry: SourceEntry,
  context: Lookups,
  existing: Existing | undefined,
  claimed: { slug: string; problem?: string } | undefined,
): Prepared {
  const problems = [...entry.statusNotes];
  for (const dropped of entry.body.dropped) problems.push(`removed, as the sanitiser would: ${dropped}`);
  for (const shortcode of entry.body.shortcodes) problems.push(`shortcode kept as text: ${shortcode}`);
  for (const url of entry.body.images) {
    const reason = context.remoteReasons.get(url);
    if (reason && reason !== 'on another site') problems.push(`image ${url} ${reason}`);
  }
  const title = clip(entry.title.trim() || '(untitled)', MAX_TITLE, 'the title', problems);
  const line: EntryLine = { sourceId: entry.sourceId, kind: entry.kind, title, path: '', status: entry.status, outcome: 'skipped', problems };

  const markdown = context.rewriter.rewrite(ctx.spill.markdown(entry.body));
  let heroImage: string | null = null;
  if (entry.featureImage?.url) {
    const url = context.mediaUrls.get(entry.featureImage.url) ?? entry.featureImage.url;
    if (imageUrlSchema.safeParse(url).success && url) heroImage = url;
    else problems.push(`the feature image ${entry.featureImage.url.slice(0, 200)} is not an http(s) address: left out`);
  }
  const status: PostStatus = entry.status;
  let publishAt = entry.publishAt;
  if ((status === 'published' || status === 'scheduled') && !publishAt) {
    publishAt = entry.createdAt ?? new Date();
    problems.push('published without a date: dated from its creation');
  }
  const names = entry.tagIds.map((id) => context.tagNames.get(id)).filter((name): name is string => !!name);
  const uniqueNames = [...new Map(names.map((name) => [tagSlug(name), name])).values()];
  if (uniqueNames.length > MAX_TAGS) problems.push(`${uniqueNames.length} tags: only the first ${MAX_TAGS} kept`);
  const tagList = entry.kind === 'page' ? [] : uniqueNames.slice(0, MAX_TAGS);
  // The byline in the source's order (Ghost's posts_authors.sort_order), each of our users once.
  const authorIds = [...new Set(entry.authorIds.map((id) => context.userIds.get(id)).filter((id): id is string => !!id))];
  const authorId = authorIds[0] ?? context.fallbackId!;
  if (authorIds.length === 0) problems.push('no known author: credited to "Imported author"');

  const extra: Record<string, unknown> = { ...entry.extra };
  if (entry.featureImage?.caption) extra.featureImageCaption = entry.featureImage.caption;
  const internal = entry.tagIds.map((id) => context.internalTags.get(id)).filter(Boolean);
  if (internal.length > 0) extra.internalTags = internal;
  if (entry.kind === 'page' && uniqueNames.length > 0) extra.tags = uniqueNames;

  const values = {
    kind: entry.kind,
    title,
    description: clip(htmlToText(entry.excerpt), MAX_TEXT, 'the excerpt', problems),
    authorId,
    status,
    publishAt,
    firstPublishedAt: status === 'published' || status === 'scheduled' ? publishAt : null,
    markdown,
    heroImage,
    heroImageAlt: clip(entry.featureImage?.alt ?? '', MAX_TEXT, 'the feature image alt text', problems),
    // Only when set: a post an editor featured here stays featured when the source never said.
    ...(entry.kind === 'post' && entry.featured ? { featured: true } : {}),
  };
  const coAuthors = entry.kind === 'post' ? authorIds.slice(1) : [];
  const fingerprint = createHash('sha256')
    .update(stableJson({ ...values, tags: tagList, extra, createdAt: entry.createdAt, ...(coAuthors.length ? { coAuthors } : {}) }))
    .digest('base64url');
  extra.import = { source: ctx.source, id: entry.sourceId, fingerprint };

  const item: Prepared = { entry, line, problems, values, extra, tagList, coAuthors, markdown, existing, slug: claimed?.slug };
  if (existing && existing.fingerprint === fingerprint) {
    line.path = existing.kind === 'page' ? `/${existing.slug}` : `/posts/${existing.slug}`;
    line.outcome = 'unchanged';
  } else if (claimed?.problem) {
    item.slugProblem = claimed.problem;
  }
  return item;
}
