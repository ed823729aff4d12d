import 'server-only';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { postTags, tags } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { NotFoundError, ValidationError } from '@/lib/auth/errors';
import { MAX_TEXT } from '@/lib/content/frontmatter';
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from '@/lib/slug';
import { requireCapability } from '@/lib/users/admin-queries';
import { isUniqueViolation } from '@/lib/users/mutations';
import type { Tx } from './mutations';
import { lineSchema, parseInput, textSchema } from '@/lib/users/schemas';

export const tagIdSchema = z.object({ id: z.uuid('Unknown tag.') });
export const updateTagSchema = tagIdSchema.extend({
  name: lineSchema('a tag name', 60).min(1, 'Enter a name.'),
  slug: z
    .string('Enter a slug.')
    .trim()
    .min(1, 'Enter a slug.')
    .max(MAX_SLUG_LENGTH, `A slug is at most ${MAX_SLUG_LENGTH} characters.`)
    .regex(SLUG_PATTERN, 'A slug may only have lower-case letters, digits and single hyphens.'),
  description: textSchema('the description', MAX_TEXT),
});

export type TagWithCount = { id: string; name: string; slug: string; description: string; posts: number };

/** What readers may have cached that a tag change affects. */
export type TagChange = { publicPaths: string[] };

/** Every tag with the number of posts (of any status) that carry it. */
export async function listTagsWithCounts(): Promise<TagWithCount[]> {
  await requireCapability('manageTags');
  return getDb()
    .select({
      id: tags.id,
      name: tags.name,
      slug: tags.slug,
      description: tags.description,
      posts: sql<number>`count(${postTags.postId})::int`,
    })
    .from(tags)
    .leftJoin(postTags, eq(postTags.tagId, tags.id))
    .groupBy(tags.id)
    .orderBy(asc(sql`lower(${tags.name})`), asc(tags.id));
}

async function lockTag(tx: Tx, id: string) {
  const [tag] = await tx.select({ name: tags.name, slug: tags.slug }).from(tags).where(eq(tags.id, id)).for('update');
  if (!tag) throw new NotFoundError('This tag no longer exists.');
  return tag;
}

const slugTaken = (slug: string) => new ValidationError(`The slug "${slug}" is already used by another tag.`, 'slug');

/** Renames a tag; a new slug moves its page (the old /tags/<slug> then answers 404). */
export async function updateTag(input: z.input<typeof updateTagSchema>): Promise<TagChange> {
  const viewer = await requireCapability('manageTags');
  const { id, name, slug, description } = parseInput(updateTagSchema, input);
  try {
    return await getDb().transaction(async (tx) => {
      const before = await lockTag(tx, id);
      if (slug !== before.slug) {
        const [clash] = await tx
          .select({ id: tags.id })
          .from(tags)
          .where(and(eq(tags.slug, slug), ne(tags.id, id)))
          .limit(1);
        if (clash) throw slugTaken(slug);
      }
      await tx.update(tags).set({ name, slug, description }).where(eq(tags.id, id));
      await recordAudit(
        {
          actorId: viewer.id,
          action: 'tag.update',
          targetType: 'tag',
          targetId: id,
          detail: { from: { name: before.name, slug: before.slug }, to: { name, slug } },
        },
        tx,
      );
      return { publicPaths: [...new Set([`/tags/${before.slug}`, `/tags/${slug}`])] };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'tags_slug_key')) throw slugTaken(slug);
    throw error;
  }
}

/** Deletes a tag; its posts simply lose it (post_tags rows cascade). */
export async function deleteTag(input: z.input<typeof tagIdSchema>): Promise<TagChange> {
  const viewer = await requireCapability('manageTags');
  const { id } = parseInput(tagIdSchema, input);
  return getDb().transaction(async (tx) => {
    const tag = await lockTag(tx, id);
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(postTags)
      .where(eq(postTags.tagId, id));
    await tx.delete(tags).where(eq(tags.id, id));
    await recordAudit({ actorId: viewer.id, action: 'tag.delete', targetType: 'tag', targetId: id, detail: { name: tag.name, slug: tag.slug, posts: n } }, tx);
    return { publicPaths: [`/tags/${tag.slug}`] };
  });
}
