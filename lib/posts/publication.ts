import 'server-only';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { postAuthors, posts, postTags, series, users } from '@/db/schema';
import { ForbiddenError, ValidationError } from '@/lib/auth/errors';
import type { Viewer } from '@/lib/auth/viewer';
import { slugify } from '@/lib/slug';
import type { Tx } from '@/lib/tags/mutations';
import { canChangePrimaryAuthor, canFeature } from './policy';
import type { PostFields } from './schemas';
import { isPublicPost } from './visibility';

/**
 * The publication fields of a save (featured, the byline, the series), written in the save's
 * transaction with the post row locked (lib/posts/mutations.ts). Each is absent from a save that
 * does not change it. Refusals are the layer's: an author cannot feature, a non-editor cannot change
 * who is primary (the owner the policy asks about), an unknown person cannot be credited.
 */
type Saving = { id: string; authorId: string; featured: boolean };

export type PublicationColumns = { featured?: boolean; authorId?: string; seriesId?: string | null };

export async function publicationColumns(tx: Tx, viewer: Viewer, post: Saving, fields: PostFields): Promise<PublicationColumns> {
  const columns: PublicationColumns = {};
  if (fields.featured !== undefined && fields.featured !== post.featured) {
    if (!canFeature(viewer.role)) throw new ForbiddenError('You are not allowed to feature posts: editors and admins choose them.');
    columns.featured = fields.featured;
  }
  if (fields.authors !== undefined) {
    const [primary] = fields.authors;
    if (primary !== post.authorId && !canChangePrimaryAuthor(viewer.role)) {
      throw new ForbiddenError('You are not allowed to change who is the primary author of this post.');
    }
    const known = await tx.select({ id: users.id }).from(users).where(inArray(users.id, fields.authors));
    if (known.length !== fields.authors.length) throw new ValidationError('An author in the list does not exist.', 'authors');
    if (primary !== post.authorId) columns.authorId = primary;
  }
  if (fields.series !== undefined) columns.seriesId = fields.series ? await seriesNamed(tx, fields.series) : null;
  return columns;
}

/** The series of that name (by its slug), made when none has it yet. */
export async function seriesNamed(tx: Tx, name: string): Promise<string> {
  const slug = slugify(name, 'series');
  await tx.insert(series).values({ name, slug }).onConflictDoNothing({ target: series.slug });
  const [row] = await tx.select({ id: series.id }).from(series).where(eq(series.slug, slug)).limit(1);
  return row.id;
}

/**
 * The byline after the post row was written: the posts trigger has already put the primary author
 * at position 0; this writes the whole ordered list, so post_authors and posts.author_id agree when
 * the transaction commits.
 */
export async function writeByline(tx: Tx, postId: string, authors: string[] | undefined): Promise<void> {
  if (!authors) return;
  await tx.delete(postAuthors).where(eq(postAuthors.postId, postId));
  await tx.insert(postAuthors).values(authors.map((userId, position) => ({ postId, userId, position })));
}

/** The byline's user ids in order (the editor's field). */
export async function bylineOf(db: Pick<Tx, 'select'>, postId: string): Promise<string[]> {
  const rows = await db.select({ id: postAuthors.userId }).from(postAuthors).where(eq(postAuthors.postId, postId)).orderBy(asc(postAuthors.position));
  return rows.map((row) => row.id);
}

/** Per tag of a changed post, how many of the newest articles with that tag are refreshed (their related posts). */
export const RELATED_REFRESH_PER_TAG = 20;

/**
 * The slugs of the other public articles whose page shows this post: the articles of its series
 * (their numbered list) and, per tag, the newest articles with that tag (their related posts weigh
 * the newest posts of each tag: lib/posts/reading.ts). Read before and after a change, so the series
 * it left and the tags it dropped are refreshed too. One branch per tag with its id as a value, so
 * a popular tag is a short walk of the public feed index and a rare one a read of its few posts.
 */
export async function pagesShowing(tx: Tx, postId: string): Promise<string[]> {
  const tagIds = (await tx.select({ tagId: postTags.tagId }).from(postTags).where(eq(postTags.postId, postId))).map((row) => row.tagId);
  const byTag = tagIds.map(
    (tagId) => sql`(select ${posts.slug} as slug from ${posts}
        join ${postTags} on ${postTags.postId} = ${posts.id} and ${postTags.tagId} = ${tagId}
       where ${isPublicPost()} and ${posts.id} <> ${postId}
       order by ${posts.publishAt} desc nulls last, ${posts.id} desc nulls last
       limit ${RELATED_REFRESH_PER_TAG})`,
  );
  const inSeries = sql`(select ${posts.slug} as slug from ${posts}
     where ${posts.seriesId} = (select mine.series_id from ${posts} mine where mine.id = ${postId}) and ${posts.id} <> ${postId} and ${isPublicPost()})`;
  const { rows } = await tx.execute<{ slug: string }>(sql`select slug from (${sql.join([inSeries, ...byTag], sql` union `)}) showing`);
  return rows.map((row) => row.slug);
}

/** Series for the editor's picker, by name. */
export async function listSeriesNames(db: Pick<Tx, 'select'>): Promise<{ id: string; name: string }[]> {
  return db.select({ id: series.id, name: series.name }).from(series).orderBy(asc(series.name));
}
