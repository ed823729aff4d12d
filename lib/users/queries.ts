import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { getReadDb } from '@/db/client';
import { postAuthors, posts, users } from '@/db/schema';
import { isLookupKey } from '@/lib/params';
import { isPublicPost } from '@/lib/posts/visibility';

export type PublicAuthor = { name: string; slug: string; bio: string; avatarUrl: string | null };

/** An author readers can visit: someone with at least one public post (as primary or co-author). Staff without one stay private. */
export async function getPublicAuthor(slug: string): Promise<PublicAuthor | null> {
  if (!isLookupKey(slug)) return null;
  const [row] = await getReadDb()
    .select({ name: users.name, slug: users.slug, bio: users.bio, avatarUrl: users.avatarUrl })
    .from(users)
    .where(
      and(
        eq(users.slug, slug),
        sql`exists (select 1 from ${postAuthors} join ${posts} on ${posts.id} = ${postAuthors.postId} where ${postAuthors.userId} = ${users.id} and ${isPublicPost()})`,
      ),
    )
    .limit(1);
  return row ?? null;
}
