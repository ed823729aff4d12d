import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts, postTags, slugRedirects, tags, users } from '@/db/schema';
import { isLookupKey } from '@/lib/params';
import { isPublicPost } from '@/lib/posts/visibility';

export type PublicKind = 'posts' | 'tags' | 'authors' | 'preview';

/** What a reader URL leads to: a page, a permanent move (a renamed post's old slug), or nothing. */
export type PublicPath = { found: true } | { found: false; movedTo: string | null };

/**
 * Resolves a reader URL in one indexed lookup. Used only so that a miss is served as a real,
 * server-rendered 404 page (Next.js 16 renders notFound() from a page as an empty document until
 * JavaScript runs) and an old slug as a 301; the pages still decide visibility themselves.
 */
export async function resolvePublicPath(kind: PublicKind, key: string): Promise<PublicPath> {
  if (!isLookupKey(key)) return { found: false, movedTo: null };
  const db = getDb();
  if (kind === 'posts') {
    const result = await db.execute<{ slug: string; moved: boolean }>(sql`
      select ${posts.slug} as slug, false as moved from ${posts} where ${posts.slug} = ${key} and ${isPublicPost()}
      union all
      select ${posts.slug}, true from ${slugRedirects} join ${posts} on ${posts.id} = ${slugRedirects.postId}
       where ${slugRedirects.slug} = ${key} and ${isPublicPost()}
      limit 1`);
    const row = result.rows[0];
    if (!row) return { found: false, movedTo: null };
    return row.moved ? { found: false, movedTo: `/posts/${row.slug}` } : { found: true };
  }
  const condition = {
    tags: sql`exists (select 1 from ${tags} join ${postTags} on ${postTags.tagId} = ${tags.id}
                      join ${posts} on ${posts.id} = ${postTags.postId} where ${tags.slug} = ${key} and ${isPublicPost()})`,
    // The author first, then their posts (as getPublicAuthor asks): joined, the planner may pick a
    // sequential scan of posts hoping an average author's public post turns up early.
    authors: sql`exists (select 1 from ${users} where ${users.slug} = ${key}
                         and exists (select 1 from ${posts} where ${posts.authorId} = ${users.id} and ${isPublicPost()}))`,
    preview: sql`exists (select 1 from ${posts} where ${posts.previewToken} = ${key} and ${posts.status} <> 'trash')`,
  }[kind];
  const result = await db.execute<{ found: boolean }>(sql`select (${condition}) as found`);
  return result.rows[0]?.found === true ? { found: true } : { found: false, movedTo: null };
}
