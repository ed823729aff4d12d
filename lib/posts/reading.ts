import 'server-only';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { getReadDb } from '@/db/client';
import { posts, postTags, series, users } from '@/db/schema';
import { summaryColumns, toSummary, type PostSummary } from './queries';
import { isPublicPost } from './visibility';

/** What an article shows around itself: its series and its related posts. Public posts only. */

export type SeriesList = { name: string; items: { slug: string; title: string; current: boolean }[] };

/** A series' list is long enough for any real series; past it the article shows the first ones. */
export const SERIES_LIST_LIMIT = 100;
export const RELATED_POSTS = 3;

/** The series of a post, with its published articles oldest first (the post itself marked); null when it has none. */
export async function getSeriesList(postId: string): Promise<SeriesList | null> {
  const db = getReadDb();
  const [own] = await db
    .select({ seriesId: posts.seriesId, name: series.name })
    .from(posts)
    .innerJoin(series, eq(series.id, posts.seriesId))
    .where(eq(posts.id, postId))
    .limit(1);
  if (!own?.seriesId) return null;
  const rows = await db
    .select({ id: posts.id, slug: posts.slug, title: posts.title })
    .from(posts)
    .where(and(eq(posts.seriesId, own.seriesId), isPublicPost()))
    .orderBy(asc(posts.publishAt), asc(posts.id))
    .limit(SERIES_LIST_LIMIT);
  return { name: own.name, items: rows.map((row) => ({ slug: row.slug, title: row.title, current: row.id === postId })) };
}

/** Per tag of the post, the newest public posts with that tag that are weighed as related. */
export const RELATED_CANDIDATES_PER_TAG = 20;

/**
 * Public posts sharing the most tags with this one, then the newest: never itself. Weighed among
 * the newest RELATED_CANDIDATES_PER_TAG posts of each of its tags, one branch per tag with the tag's
 * id as a value (as its tag page does), so a tag on 40,000 posts is a short walk of the public feed
 * index, a rare one a read of its few posts; joined to the post's tags instead, PostgreSQL planned
 * for an average tag and read all 10,000 posts of a popular one.
 */
export async function listRelatedPosts(postId: string, limit = RELATED_POSTS): Promise<PostSummary[]> {
  const db = getReadDb();
  const tagIds = (await db.select({ tagId: postTags.tagId }).from(postTags).where(eq(postTags.postId, postId))).map((row) => row.tagId);
  if (tagIds.length === 0) return [];
  const branches = tagIds.map(
    (tagId) => sql`(select ${posts.id} as id, ${posts.publishAt} as at from ${posts}
        join ${postTags} on ${postTags.postId} = ${posts.id} and ${postTags.tagId} = ${tagId}
       where ${isPublicPost()} and ${posts.id} <> ${postId}
       order by ${posts.publishAt} desc nulls last, ${posts.id} desc nulls last
       limit ${RELATED_CANDIDATES_PER_TAG})`,
  );
  const candidates = await db.execute<{ id: string; at: Date | string }>(sql`select id, at from (${sql.join(branches, sql` union all `)}) candidates`);
  const tally = new Map<string, { shared: number; at: number }>();
  for (const row of candidates.rows) {
    const seen = tally.get(row.id);
    tally.set(row.id, { shared: (seen?.shared ?? 0) + 1, at: new Date(row.at).getTime() });
  }
  const ranked = {
    rows: [...tally]
      .sort(([a, x], [b, y]) => y.shared - x.shared || y.at - x.at || (a < b ? 1 : -1))
      .slice(0, limit)
      .map(([id]) => ({ id })),
  };
  const ids = ranked.rows.map((row) => row.id);
  if (ids.length === 0) return [];
  const rows = await db
    .select(summaryColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(inArray(posts.id, ids), isPublicPost()));
  const byId = new Map(rows.map((row) => [row.id, toSummary(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
