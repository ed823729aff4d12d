import 'server-only';
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { getDb } from '@/db/client';
import { postTags, tags } from '@/db/schema';
import { slugify } from '@/lib/slug';

export type Tx = Parameters<Parameters<ReturnType<typeof getDb>['transaction']>[0]>[0];

/** Makes the post's tags exactly `names`, in order, creating unknown tags. Returns whether anything changed. */
export async function setPostTags(tx: Tx, postId: string, names: string[]): Promise<boolean> {
  const bySlug = new Map(names.map((name) => [slugify(name, 'tag'), name] as const));
  const wanted = [...bySlug].map(([slug, name]) => ({ name, slug }));
  if (wanted.length > 0) {
    await tx.insert(tags).values(wanted).onConflictDoNothing({ target: tags.slug });
  }
  const rows = wanted.length
    ? await tx
        .select({ id: tags.id, slug: tags.slug })
        .from(tags)
        .where(
          inArray(
            tags.slug,
            wanted.map((t) => t.slug),
          ),
        )
    : [];
  const ids = wanted.map((t) => rows.find((r) => r.slug === t.slug)!.id);
  const before = await tx
    .select({ tagId: postTags.tagId, position: postTags.position })
    .from(postTags)
    .where(eq(postTags.postId, postId))
    .orderBy(postTags.position);
  const same = before.length === ids.length && before.every((row, i) => row.tagId === ids[i] && row.position === i);
  if (same) return false;
  await tx.delete(postTags).where(and(eq(postTags.postId, postId), ids.length ? notInArray(postTags.tagId, ids) : undefined));
  for (const [position, tagId] of ids.entries()) {
    await tx
      .insert(postTags)
      .values({ postId, tagId, position })
      .onConflictDoUpdate({ target: [postTags.postId, postTags.tagId], set: { position } });
  }
  return true;
}
