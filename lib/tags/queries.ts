import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { getReadDb } from '@/db/client';
import { posts, postTags, tags } from '@/db/schema';
import { isLookupKey } from '@/lib/params';
import { isPublicPost } from '@/lib/posts/visibility';

export type PublicTag = { name: string; slug: string; description: string };

/** A tag readers can visit: it must have at least one public post, else it does not exist for them. */
export async function getPublicTag(slug: string): Promise<PublicTag | null> {
  if (!isLookupKey(slug)) return null;
  const [row] = await getReadDb()
    .select({ name: tags.name, slug: tags.slug, description: tags.description })
    .from(tags)
    .where(
      and(
        eq(tags.slug, slug),
        sql`exists (select 1 from ${postTags} join ${posts} on ${posts.id} = ${postTags.postId}
                    where ${postTags.tagId} = ${tags.id} and ${isPublicPost()})`,
      ),
    )
    .limit(1);
  return row ?? null;
}
