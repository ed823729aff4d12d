import { sql } from 'drizzle-orm';
import { posts, postTags, tags } from '@/db/schema';

/** A post's tag names, in the author's order, as a subquery on `posts`: no N+1 loads. */
export function tagNamesOfPost() {
  return sql<string[]>`coalesce((
    select array_agg(${tags.name} order by ${postTags.position})
    from ${postTags} join ${tags} on ${tags.id} = ${postTags.tagId}
    where ${postTags.postId} = ${posts.id}), '{}')`;
}
