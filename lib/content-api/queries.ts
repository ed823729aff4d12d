import 'server-only';
import { and, eq, gt, gte, sql, type SQL } from 'drizzle-orm';
import { getReadDb } from '@/db/client';
import { postAuthors, posts, postTags, tags, users } from '@/db/schema';
import { env } from '@/lib/env';
import { isLookupKey } from '@/lib/params';
import { encodeCursor, type Cursor } from '@/lib/posts/cursor';
import { isPublicPage, isPublicPost } from '@/lib/posts/visibility';
import { getSiteSettings } from '@/lib/site/settings';
import {
  encodeSlugCursor,
  PAGE_FIELDS,
  POST_FIELDS,
  SETTINGS_FIELDS,
  AUTHOR_FIELDS,
  TAG_FIELDS,
  type PageListQuery,
  type PostListQuery,
  type SlugListQuery,
} from './schemas';

/**
 * What the Content API answers: public content only, through the reader site's own visibility
 * rule (lib/posts/visibility.ts), as plain JSON values (dates as ISO strings), so an answer can be
 * cached and compared byte for byte. Readers' data: no viewer, no policy, nothing non-public.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Item = Record<string, Json>;
export type ListAnswer = { items: Item[]; next: string | null };

const absolute = (path: string | null): string | null =>
  path === null ? null : /^https?:\/\//i.test(path) ? path : `${env().SITE_URL}${path.startsWith('/') ? '' : '/'}${path}`;

function pick(item: Item, fields: readonly string[] | undefined): Item {
  if (!fields) return item;
  const out: Item = {};
  for (const field of fields) out[field] = item[field];
  return out;
}

const newestFirst = [sql`${posts.publishAt} desc`, sql`${posts.id} desc`];
const before = (cursor: Cursor | undefined) =>
  cursor ? sql`(${posts.publishAt}, ${posts.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)` : undefined;

/** The columns of a post or page; the body only when asked for (it is most of the bytes). */
function entryColumns(withHtml: boolean) {
  return {
    id: posts.id,
    slug: posts.slug,
    title: posts.title,
    subtitle: posts.subtitle,
    description: posts.description,
    excerpt: posts.excerpt,
    html: withHtml ? posts.html : sql<string>`''`,
    heroImage: posts.heroImage,
    heroImageAlt: posts.heroImageAlt,
    publishAt: posts.publishAt,
    updatedAt: posts.updatedAt,
    readingMinutes: sql<number>`coalesce(${posts.readTimeOverride}, ${posts.readingMinutes})`.mapWith(Number),
    authorName: users.name,
    authorSlug: users.slug,
    featured: posts.featured,
    authors: sql<{ name: string; slug: string }[]>`coalesce((
      select json_agg(json_build_object('name', byline.name, 'slug', byline.slug) order by ${postAuthors.position})
        from ${postAuthors} join ${users} byline on byline.id = ${postAuthors.userId}
       where ${postAuthors.postId} = ${posts.id}), '[]'::json)`,
    tags: sql<{ name: string; slug: string }[]>`coalesce((
      select json_agg(json_build_object('name', ${tags.name}, 'slug', ${tags.slug}) order by ${postTags.position})
      from ${postTags} join ${tags} on ${tags.id} = ${postTags.tagId}
      where ${postTags.postId} = ${posts.id}), '[]'::json)`,
  };
}
type EntryRow = {
  id: string;
  slug: string;
  title: string;
  subtitle: string;
  description: string;
  excerpt: string;
  html: string;
  heroImage: string | null;
  heroImageAlt: string;
  publishAt: Date | null;
  updatedAt: Date;
  readingMinutes: number;
  authorName: string;
  authorSlug: string;
  featured: boolean;
  authors: { name: string; slug: string }[];
  tags: { name: string; slug: string }[];
};

function toPost(row: EntryRow): Item {
  const site = env().SITE_URL;
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    subtitle: row.subtitle,
    // What the author wrote above `<!--more-->`, else their description (as the feeds summarise).
    excerpt: row.excerpt || row.description,
    html: row.html,
    feature_image: absolute(row.heroImage),
    feature_image_alt: row.heroImageAlt,
    // Public rows always have a publish time: the visibility rule requires it.
    published_at: (row.publishAt ?? new Date(0)).toISOString(),
    updated_at: row.updatedAt.toISOString(),
    reading_time: row.readingMinutes,
    url: `${site}/posts/${encodeURIComponent(row.slug)}`,
    // The primary author, and everyone in the byline in order (the primary first).
    author: { slug: row.authorSlug, name: row.authorName, url: `${site}/authors/${encodeURIComponent(row.authorSlug)}` },
    authors: row.authors.map((author) => ({ slug: author.slug, name: author.name, url: `${site}/authors/${encodeURIComponent(author.slug)}` })),
    featured: row.featured,
    tags: row.tags.map((tag) => ({ slug: tag.slug, name: tag.name, url: `${site}/tags/${encodeURIComponent(tag.slug)}` })),
  };
}

function toPage(row: EntryRow): Item {
  const { author: _author, authors: _authors, featured: _featured, tags: _tags, reading_time: _minutes, ...page } = toPost(row);
  return { ...page, url: `${env().SITE_URL}/${encodeURIComponent(row.slug)}` };
}

const wantsHtml = (fields: readonly string[] | undefined) => !fields || fields.includes('html');

async function listEntries(
  kind: 'post' | 'page',
  where: (SQL | undefined)[],
  query: { limit: number; cursor?: Cursor; fields?: readonly string[] },
): Promise<ListAnswer> {
  const rows: EntryRow[] = await getReadDb()
    .select(entryColumns(wantsHtml(query.fields)))
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(kind === 'post' ? isPublicPost() : isPublicPage(), before(query.cursor), ...where))
    .orderBy(...newestFirst)
    .limit(query.limit + 1);
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  const next = rows.length > query.limit && last?.publishAt ? encodeCursor({ at: last.publishAt, id: last.id }) : null;
  const shape = kind === 'post' ? toPost : toPage;
  return { items: shown.map((row) => pick(shape(row), query.fields)), next };
}

/** Public posts, newest first (publish time, then id), by keyset; filtered by tag, author and last change. */
export function listApiPosts(query: PostListQuery): Promise<ListAnswer> {
  const byTag = query.tag
    ? sql`exists (select 1 from ${postTags} join ${tags} on ${tags.id} = ${postTags.tagId} where ${postTags.postId} = ${posts.id} and ${tags.slug} = ${query.tag})`
    : undefined;
  // Primary author or co-author (post_authors holds both).
  const byAuthor = query.author
    ? sql`exists (select 1 from ${postAuthors} join ${users} on ${users.id} = ${postAuthors.userId} where ${postAuthors.postId} = ${posts.id} and ${users.slug} = ${query.author})`
    : undefined;
  const since = query.updated_since ? gte(posts.updatedAt, query.updated_since) : undefined;
  return listEntries('post', [byTag, byAuthor, since], query);
}

/** Public pages (About, Contact…), newest first, by keyset; filtered by last change. */
export function listApiPages(query: PageListQuery): Promise<ListAnswer> {
  return listEntries('page', [query.updated_since ? gte(posts.updatedAt, query.updated_since) : undefined], query);
}

async function getEntry(kind: 'post' | 'page', slug: string, fields: readonly string[] | undefined): Promise<Item | null> {
  if (!isLookupKey(slug)) return null;
  const [row]: EntryRow[] = await getReadDb()
    .select(entryColumns(wantsHtml(fields)))
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.slug, slug), kind === 'post' ? isPublicPost() : isPublicPage()))
    .limit(1);
  return row ? pick(kind === 'post' ? toPost(row) : toPage(row), fields) : null;
}

export const getApiPost = (slug: string, fields?: readonly string[]) => getEntry('post', slug, fields);
export const getApiPage = (slug: string, fields?: readonly string[]) => getEntry('page', slug, fields);

// Tags and authors: only those with at least one public post (a tag used only by drafts says
// what is being written), with the number of their public posts; by slug, by keyset.

// Qualified by hand: in a one-table select drizzle writes a column without its table, which inside
// these subqueries would name the subquery's own column.
const outerTagId = sql.raw('"tags"."id"');
const outerUserId = sql.raw('"users"."id"');
const tagHasPublic = sql`exists (select 1 from ${postTags} join ${posts} on ${posts.id} = ${postTags.postId} where ${postTags.tagId} = ${outerTagId} and ${isPublicPost()})`;
const tagCount =
  sql<number>`(select count(*) from ${postTags} join ${posts} on ${posts.id} = ${postTags.postId} where ${postTags.tagId} = ${outerTagId} and ${isPublicPost()})`.mapWith(
    Number,
  );
const authorHasPublic = sql`exists (select 1 from ${postAuthors} join ${posts} on ${posts.id} = ${postAuthors.postId} where ${postAuthors.userId} = ${outerUserId} and ${isPublicPost()})`;
const authorCount =
  sql<number>`(select count(*) from ${postAuthors} join ${posts} on ${posts.id} = ${postAuthors.postId} where ${postAuthors.userId} = ${outerUserId} and ${isPublicPost()})`.mapWith(
    Number,
  );

type TagRow = { slug: string; name: string; description: string; count: number };
type AuthorRow = { slug: string; name: string; bio: string; avatarUrl: string | null; count: number };

const toTag = (row: TagRow): Item => ({
  slug: row.slug,
  name: row.name,
  description: row.description,
  url: `${env().SITE_URL}/tags/${encodeURIComponent(row.slug)}`,
  count: { posts: row.count },
});
const toAuthor = (row: AuthorRow): Item => ({
  slug: row.slug,
  name: row.name,
  bio: row.bio,
  profile_image: absolute(row.avatarUrl),
  url: `${env().SITE_URL}/authors/${encodeURIComponent(row.slug)}`,
  count: { posts: row.count },
});

function slugPage<R extends { slug: string }>(rows: R[], query: SlugListQuery, shape: (row: R) => Item): ListAnswer {
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  return { items: shown.map((row) => pick(shape(row), query.fields)), next: rows.length > query.limit && last ? encodeSlugCursor(last.slug) : null };
}

/** Tags with public posts, by slug. */
export async function listApiTags(query: SlugListQuery): Promise<ListAnswer> {
  const rows = await getReadDb()
    .select({ slug: tags.slug, name: tags.name, description: tags.description, count: tagCount })
    .from(tags)
    .where(and(tagHasPublic, query.cursor ? gt(tags.slug, query.cursor) : undefined))
    .orderBy(tags.slug)
    .limit(query.limit + 1);
  return slugPage(rows, query, toTag);
}

export async function getApiTag(slug: string, fields?: readonly string[]): Promise<Item | null> {
  if (!isLookupKey(slug)) return null;
  const [row] = await getReadDb()
    .select({ slug: tags.slug, name: tags.name, description: tags.description, count: tagCount })
    .from(tags)
    .where(and(eq(tags.slug, slug), tagHasPublic))
    .limit(1);
  return row ? pick(toTag(row), fields) : null;
}

/** Authors with public posts, by slug: name, bio, picture; never an email or a role. */
export async function listApiAuthors(query: SlugListQuery): Promise<ListAnswer> {
  const rows = await getReadDb()
    .select({ slug: users.slug, name: users.name, bio: users.bio, avatarUrl: users.avatarUrl, count: authorCount })
    .from(users)
    .where(and(authorHasPublic, query.cursor ? gt(users.slug, query.cursor) : undefined))
    .orderBy(users.slug)
    .limit(query.limit + 1);
  return slugPage(rows, query, toAuthor);
}

export async function getApiAuthor(slug: string, fields?: readonly string[]): Promise<Item | null> {
  if (!isLookupKey(slug)) return null;
  const [row] = await getReadDb()
    .select({ slug: users.slug, name: users.name, bio: users.bio, avatarUrl: users.avatarUrl, count: authorCount })
    .from(users)
    .where(and(eq(users.slug, slug), authorHasPublic))
    .limit(1);
  return row ? pick(toAuthor(row), fields) : null;
}

/** The site's public settings: what the reader site shows in its head. */
export async function getApiSettings(fields?: readonly string[]): Promise<Item> {
  const site = await getSiteSettings();
  return pick(
    { title: site.title, description: site.description, locale: site.locale, timezone: site.timeZone, url: site.url, posts_per_page: site.postsPerPage },
    fields,
  );
}

/** Every field each resource has, for the OpenAPI document and tests. */
export const RESOURCE_FIELDS = { posts: POST_FIELDS, pages: PAGE_FIELDS, tags: TAG_FIELDS, authors: AUTHOR_FIELDS, settings: SETTINGS_FIELDS } as const;
