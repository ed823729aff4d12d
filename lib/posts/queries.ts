import 'server-only';
import { and, eq, notInArray, sql, type SQL } from 'drizzle-orm';
import { getDb, getReadDb, type Database } from '@/db/client';
import { postAuthors, posts, postTags, slugRedirects, tags, users, type PostKind } from '@/db/schema';
import { isLookupKey } from '@/lib/params';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { isPublicPage, isPublicPost, isPublicPostOrPage } from './visibility';
import { tagNamesOfPost } from '@/lib/tags/sql';

/** What a list shows of a post. */
export type PostSummary = {
  id: string;
  slug: string;
  title: string;
  subtitle: string;
  description: string;
  /** The plain text above the body's `<!--more-->` ('' without one). */
  excerpt: string;
  publishAt: Date;
  readingMinutes: number;
  heroImage: string | null;
  heroImageAlt: string;
  /** The primary author (the first of `authors`). */
  author: { name: string; slug: string };
  /** Everyone in the byline, in order. */
  authors: { name: string; slug: string }[];
};

export type PostPage = { items: PostSummary[]; nextCursor: string | null };

export type PublicPost = PostSummary & {
  /** 'page' only through a preview link or getPublicPage (About, Contact: no date, byline or tags). */
  kind: PostKind;
  html: string;
  toc: { depth: number; id: string; text: string }[];
  cta: string;
  createdAt: Date;
  updatedAt: Date;
  author: { name: string; slug: string; bio: string; avatarUrl: string | null };
  tags: { name: string; slug: string }[];
};

const readingMinutes = sql<number>`coalesce(${posts.readTimeOverride}, ${posts.readingMinutes})`.mapWith(Number);

/** The columns of a PostSummary (lib/posts/reading.ts selects them too). */
export const summaryColumns = {
  id: posts.id,
  slug: posts.slug,
  title: posts.title,
  subtitle: posts.subtitle,
  description: posts.description,
  excerpt: posts.excerpt,
  publishAt: posts.publishAt,
  readingMinutes,
  heroImage: posts.heroImage,
  heroImageAlt: posts.heroImageAlt,
  authorName: users.name,
  authorSlug: users.slug,
  authors: bylineOfPost(),
};

/** A post's byline as a subquery on `posts` (position 0 is the primary author): no N+1 loads. */
function bylineOfPost() {
  return sql<{ name: string; slug: string }[]>`coalesce((
    select json_agg(json_build_object('name', byline.name, 'slug', byline.slug) order by ${postAuthors.position})
      from ${postAuthors} join ${users} byline on byline.id = ${postAuthors.userId}
     where ${postAuthors.postId} = ${posts.id}), '[]'::json)`;
}

export type SummaryRow = {
  id: string;
  slug: string;
  title: string;
  subtitle: string;
  description: string;
  excerpt: string;
  publishAt: Date | null;
  readingMinutes: number;
  heroImage: string | null;
  heroImageAlt: string;
  authorName: string;
  authorSlug: string;
  authors: { name: string; slug: string }[];
};

export function toSummary(row: SummaryRow): PostSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    subtitle: row.subtitle,
    description: row.description,
    excerpt: row.excerpt,
    // Public rows always have a publish time: the visibility rule requires it.
    publishAt: row.publishAt ?? new Date(0),
    readingMinutes: row.readingMinutes,
    heroImage: row.heroImage,
    heroImageAlt: row.heroImageAlt,
    author: { name: row.authorName, slug: row.authorSlug },
    authors: row.authors.length ? row.authors : [{ name: row.authorName, slug: row.authorSlug }],
  };
}

const newestFirst = [sql`${posts.publishAt} desc nulls last`, sql`${posts.id} desc nulls last`];

function before(cursor: Cursor | null) {
  return cursor ? sql`(${posts.publishAt}, ${posts.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)` : undefined;
}

function page(rows: SummaryRow[], limit: number): PostPage {
  const items = rows.slice(0, limit).map(toSummary);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.publishAt, id: last.id }) : null,
  };
}

export type ListOptions = { cursor?: string | null; limit: number };

/** How many featured posts lead the home page. */
export const FEATURED_ON_HOME = 3;

/** The featured posts the home page leads with, newest first. */
export async function listFeaturedPosts(limit = FEATURED_ON_HOME): Promise<PostSummary[]> {
  const rows = await getReadDb()
    .select(summaryColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.featured, true), isPublicPost()))
    .orderBy(...newestFirst)
    .limit(limit);
  return rows.map(toSummary);
}

/**
 * The home page: public posts, newest first, keyset-paginated. `exclude`: posts already shown
 * above the list on the same page (the featured lead), so the first page does not repeat them.
 */
export async function listPublicPosts({ cursor, limit, exclude = [] }: ListOptions & { exclude?: string[] }): Promise<PostPage> {
  const rows = await getReadDb()
    .select(summaryColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(isPublicPost(), before(decodeCursor(cursor)), exclude.length ? notInArray(posts.id, exclude) : undefined))
    .orderBy(...newestFirst)
    .limit(limit + 1);
  return page(rows, limit);
}

export async function listPublicPostsByTag(tagSlug: string, { cursor, limit }: ListOptions): Promise<PostPage> {
  if (!isLookupKey(tagSlug)) return { items: [], nextCursor: null };
  const db = getReadDb();
  // The tag's id first, so the list is planned for this tag's size: one on thousands of posts walks
  // posts_public_feed_idx newest first and stops at a page, a small one reads its own posts. Joined
  // by slug, the planner assumes an average tag and sorted every post of a popular one per page.
  const [tag] = await db.select({ id: tags.id }).from(tags).where(eq(tags.slug, tagSlug)).limit(1);
  if (!tag) return { items: [], nextCursor: null };
  const rows = await db
    .select(summaryColumns)
    .from(posts)
    .innerJoin(postTags, and(eq(postTags.postId, posts.id), eq(postTags.tagId, tag.id)))
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(isPublicPost(), before(decodeCursor(cursor))))
    .orderBy(...newestFirst)
    .limit(limit + 1);
  return page(rows, limit);
}

/**
 * An author's public posts, as primary author or co-author, newest first. Two index walks merged:
 * the posts they own (posts_public_author_idx, compared with a value so PostgreSQL returns this
 * author's posts in order; joined by slug it walked everyone's newest posts looking for theirs) and
 * the ones they co-wrote (post_authors by user), each stopped at a page.
 */
export async function listPublicPostsByAuthor(authorSlug: string, { cursor, limit }: ListOptions): Promise<PostPage> {
  if (!isLookupKey(authorSlug)) return { items: [], nextCursor: null };
  const db = getReadDb();
  const [author] = await db.select({ id: users.id }).from(users).where(eq(users.slug, authorSlug)).limit(1);
  if (!author) return { items: [], nextCursor: null };
  const after = before(decodeCursor(cursor));
  const [owned, cowritten] = await Promise.all([
    db
      .select(summaryColumns)
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(posts.authorId, author.id), isPublicPost(), after))
      .orderBy(...newestFirst)
      .limit(limit + 1),
    db
      .select(summaryColumns)
      .from(postAuthors)
      .innerJoin(posts, eq(posts.id, postAuthors.postId))
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(postAuthors.userId, author.id), sql`${postAuthors.position} > 0`, isPublicPost(), after))
      .orderBy(...newestFirst)
      .limit(limit + 1),
  ]);
  const newer = (a: SummaryRow, b: SummaryRow) => (b.publishAt?.getTime() ?? 0) - (a.publishAt?.getTime() ?? 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  return page([...owned, ...cowritten].sort(newer), limit);
}

/** One post with its author and tags, in one query. */
async function selectPost(where: SQL, db: Database): Promise<PublicPost | null> {
  const [row] = await db
    .select({
      ...summaryColumns,
      // A draft seen through a preview link has no publish time yet: show it as of now.
      publishAt: sql<Date>`coalesce(${posts.publishAt}, now())`.mapWith(posts.publishAt),
      kind: posts.kind,
      html: posts.html,
      toc: posts.toc,
      cta: posts.cta,
      createdAt: posts.createdAt,
      updatedAt: posts.updatedAt,
      authorBio: users.bio,
      authorAvatar: users.avatarUrl,
      tags: sql<{ name: string; slug: string }[]>`coalesce((
        select json_agg(json_build_object('name', ${tags.name}, 'slug', ${tags.slug}) order by ${postTags.position})
        from ${postTags} join ${tags} on ${tags.id} = ${postTags.tagId}
        where ${postTags.postId} = ${posts.id}), '[]'::json)`,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(where)
    .limit(1);
  if (!row) return null;
  const summary = toSummary(row);
  return {
    ...summary,
    kind: row.kind,
    html: row.html,
    toc: row.toc,
    cta: row.cta,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    author: { ...summary.author, bio: row.authorBio, avatarUrl: row.authorAvatar },
    tags: row.tags,
  };
}

/** One public article (a post, never a page); null if unknown or not public. */
export function getPublicPost(slug: string): Promise<PublicPost | null> {
  if (!isLookupKey(slug)) return Promise.resolve(null);
  return selectPost(and(eq(posts.slug, slug), isPublicPost())!, getReadDb());
}

/** One public page (About, Contact, at /<slug>); null if unknown, not public, or a post. */
export function getPublicPage(slug: string): Promise<PublicPost | null> {
  if (!isLookupKey(slug)) return Promise.resolve(null);
  return selectPost(and(eq(posts.slug, slug), isPublicPage())!, getReadDb());
}

/**
 * A post seen through its preview link, whatever its status (except trash). The token is the
 * capability: 256 random bits, revocable by the writer. Unknown or revoked tokens give null.
 */
export function getPostByPreviewToken(token: string): Promise<PublicPost | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return Promise.resolve(null);
  // The primary: whoever shares a preview wants it to show their latest save.
  return selectPost(and(eq(posts.previewToken, token), sql`${posts.status} <> 'trash'`)!, getDb());
}

/**
 * Where an old slug of a renamed public post (or, with kind 'page', page) now lives, or null. Each
 * kind redirects within its own addresses: /posts/<old> → /posts/<new>, /<old> → /<new>.
 */
export async function getRedirectedSlug(oldSlug: string, kind: PostKind = 'post'): Promise<string | null> {
  if (!isLookupKey(oldSlug)) return null;
  const [row] = await getReadDb()
    .select({ slug: posts.slug })
    .from(slugRedirects)
    .innerJoin(posts, eq(posts.id, slugRedirects.postId))
    .where(and(eq(slugRedirects.slug, oldSlug), kind === 'page' ? isPublicPage() : isPublicPost()))
    .limit(1);
  return row?.slug ?? null;
}

export type FeedPost = PostSummary & { html: string; updatedAt: Date; tags: string[] };

/** The newest public posts with full content, for RSS, Atom and JSON Feed. */
export async function listFeedPosts(limit = 20): Promise<FeedPost[]> {
  const rows = await getReadDb()
    .select({
      ...summaryColumns,
      html: posts.html,
      updatedAt: posts.updatedAt,
      tags: tagNamesOfPost(),
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(isPublicPost())
    .orderBy(...newestFirst)
    .limit(limit);
  return rows.map((row) => ({ ...toSummary(row), html: row.html, updatedAt: row.updatedAt, tags: row.tags }));
}

export type SitemapEntry = { path: string; lastModified: Date };

/** Every public URL: posts, pages (at /<slug>), and the tags and authors that have public posts. */
export async function listSitemapEntries(): Promise<SitemapEntry[]> {
  // Posts and pages in one pass over posts: each at its own address.
  const result = await getReadDb().execute<{ path: string; last_modified: Date | string }>(sql`
    select case when ${posts.kind} = 'page' then '/' else '/posts/' end || ${posts.slug} as path, ${posts.updatedAt} as last_modified
      from ${posts} where ${isPublicPostOrPage()}
    union all
    select '/tags/' || ${tags.slug}, max(${posts.updatedAt})
      from ${tags} join ${postTags} on ${postTags.tagId} = ${tags.id} join ${posts} on ${posts.id} = ${postTags.postId}
      where ${isPublicPost()} group by ${tags.slug}
    union all
    select '/authors/' || ${users.slug}, max(${posts.updatedAt})
      from ${users} join ${postAuthors} on ${postAuthors.userId} = ${users.id} join ${posts} on ${posts.id} = ${postAuthors.postId}
      where ${isPublicPost()} group by ${users.slug}
    order by 1`);
  return result.rows.map((row) => ({ path: row.path, lastModified: new Date(row.last_modified) }));
}
