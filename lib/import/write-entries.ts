import 'server-only';
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { importKeys, posts, postRevisions, type PostStatus } from '@/db/schema';
import { imageUrlSchema, MAX_TEXT, MAX_TITLE } from '@/lib/content/frontmatter';
import { MarkdownTooLargeError } from '@/lib/markdown';
import { isReservedPageSlug } from '@/lib/posts/reserved-slugs';
import { renderedColumns } from '@/lib/posts/render';
import { isTooLongForSearchIndex, SEARCH_INDEX_REFUSAL } from '@/lib/posts/schemas';
import { setPostTags } from '@/lib/tags/mutations';
import { MAX_SLUG_LENGTH, slugify, SLUG_PATTERN } from '@/lib/slug';
import { stableJson, type ImportContext } from './context';
import type { Placed } from './old-urls';
import type { EntryLine } from './report';
import { htmlToText } from './text';
import type { SourceEntry } from './types';
import { fallbackAuthor, MAX_TAG_NAME } from './write-people';

const MAX_TAGS = 30;

function clip(text: string, max: number, what: string, problems: string[]): string {
  if (text.length <= max) return text;
  problems.push(`${what} was longer than ${max} characters: shortened`);
  return text.slice(0, max);
}

/** Replaces every exact occurrence of each old URL (longest first, so no URL eats a longer one). */
export function rewriteUrls(markdown: string, urls: Map<string, string>): string {
  if (urls.size === 0) return markdown;
  let out = markdown;
  for (const [from, to] of [...urls].sort((a, b) => b[0].length - a[0].length)) {
    if (!out.includes(from)) continue;
    const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`${escaped}(?=[\\s)"'<>\\]]|$)`, 'g'), to);
  }
  return out;
}

/** A slug nobody has (posts, pages, old slugs, and for pages the site's own routes). */
function claimSlug(ctx: ImportContext, entry: SourceEntry, problems: string[]): string {
  let wanted = entry.slug;
  try {
    wanted = decodeURIComponent(wanted);
  } catch {
    // keep it as it was
  }
  const base = SLUG_PATTERN.test(wanted) && wanted.length <= MAX_SLUG_LENGTH ? wanted : slugify(wanted || entry.title, entry.kind);
  const free = (slug: string) => !ctx.takenSlugs.has(slug) && !(entry.kind === 'page' && isReservedPageSlug(slug));
  let slug = base;
  for (let n = 2; !free(slug); n += 1) slug = `${base.slice(0, MAX_SLUG_LENGTH - 1 - String(n).length)}-${n}`;
  if (slug !== base) {
    const why = entry.kind === 'page' && isReservedPageSlug(base) ? 'is used by the site itself' : 'was taken';
    problems.push(`slug "${base}" ${why}: imported as "${slug}"`);
  }
  ctx.takenSlugs.add(slug);
  return slug;
}

/** Every post and page, each in a savepoint, reported as it goes. */
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
  const remoteReasons = new Map(ctx.report.remoteImages.map((image) => [image.url, image.reason]));
  const total = ctx.bundle.entries.length;
  for (const [index, entry] of ctx.bundle.entries.entries()) {
    const line = await writeEntry(ctx, entry, { mediaUrls, userIds, tagNames, internalTags, remoteReasons });
    ctx.report.entries.push(line);
    ctx.report.totals[entry.kind === 'page' ? 'pages' : 'posts'][line.outcome] += 1;
    if (line.path && line.outcome !== 'skipped') {
      placed.entries.set(entry.sourceId, { path: line.path, public: line.status === 'published' || line.status === 'scheduled' });
    }
    if (index % 50 === 49 || index === total - 1) ctx.options.onProgress?.({ phase: 'writing', done: index + 1, total });
  }
}

async function writeEntry(
  ctx: ImportContext,
  entry: SourceEntry,
  context: {
  mediaUrls: Map<string, string>;
  userIds: Map<string, string>;
  tagNames: Map<string, string>;
  internalTags: Map<string, string>;
  remoteReasons: Map<string, string>;
  },
): Promise<EntryLine> {
  const problems = [...entry.statusNotes];
  for (const dropped of entry.body.dropped) problems.push(`removed, as the sanitiser would: ${dropped}`);
  for (const shortcode of entry.body.shortcodes) problems.push(`shortcode kept as text: ${shortcode}`);
  for (const url of entry.body.images) {
    const reason = context.remoteReasons.get(url);
    if (reason && reason !== 'on another site') problems.push(`image ${url} ${reason}`);
  }
  const title = clip(entry.title.trim() || '(untitled)', MAX_TITLE, 'the title', problems);
  const line: EntryLine = { sourceId: entry.sourceId, kind: entry.kind, title, path: '', status: entry.status, outcome: 'skipped', problems };

  const markdown = rewriteUrls(entry.body.markdown, context.mediaUrls);
  let heroImage: string | null = null;
  if (entry.featureImage?.url) {
    const url = context.mediaUrls.get(entry.featureImage.url) ?? entry.featureImage.url;
    if (imageUrlSchema.safeParse(url).success && url) heroImage = url;
    else problems.push(`the feature image ${entry.featureImage.url.slice(0, 200)} is not an http(s) address: left out`);
  }
  let status: PostStatus = entry.status;
  let publishAt = entry.publishAt;
  if ((status === 'published' || status === 'scheduled') && !publishAt) {
    publishAt = entry.createdAt ?? new Date();
    problems.push('published without a date: dated from its creation');
  }
  const names = entry.tagIds.map((id) => context.tagNames.get(id)).filter((name): name is string => !!name);
  const uniqueNames = [...new Map(names.map((name) => [slugify(name, 'tag'), name])).values()];
  if (uniqueNames.length > MAX_TAGS) problems.push(`${uniqueNames.length} tags: only the first ${MAX_TAGS} kept`);
  const tagList = entry.kind === 'page' ? [] : uniqueNames.slice(0, MAX_TAGS);
  const authorIds = entry.authorIds.map((id) => context.userIds.get(id)).filter((id): id is string => !!id);
  const authorId = authorIds[0] ?? (await fallbackAuthor(ctx));
  if (authorIds.length === 0) problems.push('no known author: credited to "Imported author"');

  const extra: Record<string, unknown> = { ...entry.extra };
  if (entry.featureImage?.caption) extra.featureImageCaption = entry.featureImage.caption;
  const internal = entry.tagIds.map((id) => context.internalTags.get(id)).filter(Boolean);
  if (internal.length > 0) extra.internalTags = internal;
  if (entry.kind === 'page' && uniqueNames.length > 0) extra.tags = uniqueNames;
  if (authorIds.length > 1) extra.coAuthors = entry.authorIds.slice(1);

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
  };
  const fingerprint = createHash('sha256')
    .update(stableJson({ ...values, tags: tagList, extra, createdAt: entry.createdAt }))
    .digest('base64url');
  extra.import = { source: ctx.source, id: entry.sourceId };

  let columns: Awaited<ReturnType<typeof renderedColumns>>;
  const keyed = ctx.keys.get(`post:${entry.sourceId}`);
  const [existing] = keyed
    ? await ctx.tx.select({ id: posts.id, slug: posts.slug, kind: posts.kind, extra: posts.extra }).from(posts).where(eq(posts.id, keyed))
    : [];
  if (existing && (existing.extra as { import?: { fingerprint?: string } }).import?.fingerprint === fingerprint) {
    line.path = existing.kind === 'page' ? `/${existing.slug}` : `/posts/${existing.slug}`;
    line.outcome = 'unchanged';
    return line;
  }
  try {
    columns = await renderedColumns(markdown);
  } catch (error) {
    if (!(error instanceof MarkdownTooLargeError)) throw error;
    problems.push(`not imported: the body ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`);
    return line;
  }
  extra.import = { source: ctx.source, id: entry.sourceId, fingerprint };
  try {
    // A savepoint per entry: a body PostgreSQL refuses to index skips that entry, not the import.
    await ctx.tx.transaction(async (sp) => {
      let postId: string;
      if (existing) {
        if (existing.kind !== entry.kind) problems.push(`was imported as a ${existing.kind}: kept as one`);
        await sp
          .update(posts)
          .set({ ...values, kind: existing.kind, extra, ...columns, ...(entry.createdAt ? { createdAt: entry.createdAt } : {}), updatedAt: sql`now()`, version: sql`${posts.version} + 1` })
          .where(eq(posts.id, existing.id));
        postId = existing.id;
        line.path = existing.kind === 'page' ? `/${existing.slug}` : `/posts/${existing.slug}`;
        line.outcome = 'updated';
      } else {
        const slug = claimSlug(ctx, entry, problems);
        const [row] = await sp
          .insert(posts)
          .values({ ...values, slug, extra, ...columns, ...(entry.createdAt ? { createdAt: entry.createdAt } : {}), ...(entry.updatedAt ? { updatedAt: entry.updatedAt } : {}) })
          .returning({ id: posts.id });
        postId = row.id;
        await sp
          .insert(importKeys)
          .values({ source: ctx.source, entity: 'post', sourceId: entry.sourceId, targetId: postId })
          .onConflictDoUpdate({ target: [importKeys.source, importKeys.entity, importKeys.sourceId], set: { targetId: postId } });
        line.path = entry.kind === 'page' ? `/${slug}` : `/posts/${slug}`;
        line.outcome = 'created';
      }
      await setPostTags(sp, postId, tagList);
      const [post] = await sp.select({ version: posts.version }).from(posts).where(eq(posts.id, postId));
      await sp.insert(postRevisions).values({
        postId,
        version: post.version,
        kind: 'import',
        actorId: ctx.options.actorId,
        title,
        markdown,
        fields: { description: values.description, tags: tagList, status, source: ctx.source },
      });
    });
  } catch (error) {
    if (!isTooLongForSearchIndex(error)) throw error;
    problems.push(`not imported: ${SEARCH_INDEX_REFUSAL}`);
    line.outcome = 'skipped';
    line.path = '';
  }
  line.status = status;
  return line;
}
