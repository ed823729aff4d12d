import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts, postTags, slugRedirects, tags, users } from '@/db/schema';
import { isLookupKey } from '@/lib/params';
import { isPublic } from '@/lib/posts/visibility';

export type PublicKind = 'posts' | 'tags' | 'authors' | 'preview';

/**
 * Whether a reader URL leads anywhere, in one indexed lookup. Used only so that a miss can be
 * served as a real, server-rendered 404 page (Next.js 16 renders notFound() from a page as an
 * empty document until JavaScript runs); the pages still decide visibility themselves.
 */
export async function publicPathExists(kind: PublicKind, key: string): Promise<boolean> {
  if (!isLookupKey(key)) return false;
  const db = getDb();
  const condition = {
    posts: sql`exists (select 1 from ${posts} where ${posts.slug} = ${key} and ${isPublic()})
               or exists (select 1 from ${slugRedirects} join ${posts} on ${posts.id} = ${slugRedirects.postId}
                          where ${slugRedirects.slug} = ${key} and ${isPublic()})`,
    tags: sql`exists (select 1 from ${tags} join ${postTags} on ${postTags.tagId} = ${tags.id}
                      join ${posts} on ${posts.id} = ${postTags.postId} where ${tags.slug} = ${key} and ${isPublic()})`,
    authors: sql`exists (select 1 from ${users} join ${posts} on ${posts.authorId} = ${users.id}
                         where ${users.slug} = ${key} and ${isPublic()})`,
    preview: sql`exists (select 1 from ${posts} where ${posts.previewToken} = ${key} and ${posts.status} <> 'trash')`,
  }[kind];
  const result = await db.execute<{ found: boolean }>(sql`select (${condition}) as found`);
  return result.rows[0]?.found === true;
}
