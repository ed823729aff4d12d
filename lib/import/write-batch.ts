import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import { and, gt } from 'drizzle-orm';
import { importKeys, postAuthors, posts, postRevisions, postTags, tags, type NewPost } from '@/db/schema';
import type { renderedColumns } from '@/lib/posts/render';
import { isTooLongForSearchIndex, SEARCH_INDEX_REFUSAL } from '@/lib/posts/schemas';
import { setPostTags, type Tx } from '@/lib/tags/mutations';
import type { ImportContext } from './context';
import type { EntryLine } from './report';
import { tagSlug } from './write-people';
import type { SourceEntry } from './types';

/** A post this source made before: its fingerprint tells whether the export changed it. */
export type Existing = { id: string; slug: string; kind: 'post' | 'page'; fingerprint: string | null };

type PostValues = Pick<
  NewPost,
  'kind' | 'title' | 'description' | 'authorId' | 'status' | 'publishAt' | 'firstPublishedAt' | 'markdown' | 'heroImage' | 'heroImageAlt' | 'featured'
>;

/** One entry, ready to write: `columns` is unset when it is unchanged or its body could not be rendered. */
export type Prepared = {
  entry: SourceEntry;
  line: EntryLine;
  problems: string[];
  values: PostValues;
  extra: Record<string, unknown>;
  tagList: string[];
  /** Our user ids after the primary author (values.authorId), in byline order. */
  coAuthors: string[];
  markdown: string;
  existing?: Existing;
  /** Claimed for a new entry; `slugProblem` when it is not the one it wanted (reported once it is written). */
  slug?: string;
  slugProblem?: string;
  columns?: Awaited<ReturnType<typeof renderedColumns>>;
};

const pathOf = (kind: string, slug: string) => (kind === 'page' ? `/${slug}` : `/posts/${slug}`);

/**
 * Writes one batch: new entries with one multi-row insert per table in ONE savepoint; updated ones
 * (rare) one by one as before. A body PostgreSQL cannot index fails the whole batch: then it is
 * redone entry by entry, each in its own savepoint, so only that entry is skipped.
 */
export async function writeBatch(ctx: ImportContext, batch: Prepared[], tagIds: Map<string, string>): Promise<void> {
  for (const item of batch) if (item.columns && item.existing) await updateEntry(ctx, item);
  const fresh = batch.filter((item) => item.columns && !item.existing);
  if (fresh.length === 0) return;
  for (const item of fresh) if (item.slugProblem) item.problems.push(item.slugProblem);
  try {
    await savepoint(ctx, tagIds, (sp, added) => insertEntries(ctx, sp, fresh, tagIds, added));
  } catch (error) {
    if (!isTooLongForSearchIndex(error)) throw error;
    for (const item of fresh) {
      try {
        await savepoint(ctx, tagIds, (sp, added) => insertEntries(ctx, sp, [item], tagIds, added));
      } catch (cause) {
        if (!isTooLongForSearchIndex(cause)) throw cause;
        item.problems.push(`not imported: ${SEARCH_INDEX_REFUSAL}`);
        continue;
      }
      setWritten(item, item.entry.kind, item.slug!, 'created');
    }
    return;
  }
  for (const item of fresh) setWritten(item, item.entry.kind, item.slug!, 'created');
}

function setWritten(item: Prepared, kind: string, slug: string, outcome: 'created' | 'updated') {
  item.line.path = pathOf(kind, slug);
  item.line.outcome = outcome;
}

/** A savepoint; the tag ids it cached are forgotten when it rolls back (their rows are gone). */
async function savepoint(ctx: ImportContext, tagIds: Map<string, string>, work: (sp: Tx, added: string[]) => Promise<void>): Promise<void> {
  const added: string[] = [];
  try {
    await ctx.tx.transaction((sp) => work(sp, added));
  } catch (error) {
    for (const slug of added) tagIds.delete(slug);
    throw error;
  }
}

/** New posts: the tags they need, the posts, their import keys, tags and first revisions, a statement each. */
async function insertEntries(ctx: ImportContext, sp: Tx, items: Prepared[], tagIds: Map<string, string>, added: string[]): Promise<void> {
  await ensureTags(sp, items, tagIds, added);
  const rows = await sp
    .insert(posts)
    .values(
      items.map(({ entry, values, extra, slug, columns }) => ({
        ...values,
        slug: slug!,
        extra,
        ...columns!,
        ...(entry.createdAt ? { createdAt: entry.createdAt } : {}),
        ...(entry.updatedAt ? { updatedAt: entry.updatedAt } : {}),
      })),
    )
    .returning({ id: posts.id, slug: posts.slug });
  const idOf = new Map(rows.map((row) => [row.slug, row.id]));
  const postId = (item: Prepared) => idOf.get(item.slug!)!;
  // Keyed by source id: a source id twice in one statement would fail ON CONFLICT (the last wins, as it did one by one).
  const keys = new Map(items.map((item) => [item.entry.sourceId, { source: ctx.source, entity: 'post', sourceId: item.entry.sourceId, targetId: postId(item) }]));
  await sp
    .insert(importKeys)
    .values([...keys.values()])
    .onConflictDoUpdate({ target: [importKeys.source, importKeys.entity, importKeys.sourceId], set: { targetId: sql`excluded.target_id` } });
  // New posts have no tags yet: setPostTags' select and delete have nothing to do.
  const links = items.flatMap((item) => item.tagList.map((name, position) => ({ postId: postId(item), tagId: tagIds.get(tagSlug(name))!, position })));
  if (links.length > 0) await sp.insert(postTags).values(links);
  // The posts trigger put each primary author at position 0; the co-authors follow.
  const bylines = items.flatMap((item) => item.coAuthors.map((userId, index) => ({ postId: postId(item), userId, position: index + 1 })));
  if (bylines.length > 0) await sp.insert(postAuthors).values(bylines);
  await sp.insert(postRevisions).values(
    items.map((item) => ({
      postId: postId(item),
      version: 1,
      kind: 'import' as const,
      actorId: ctx.options.actorId,
      title: item.values.title,
      markdown: item.markdown,
      fields: { description: item.values.description, tags: item.tagList, status: item.values.status, source: ctx.source },
    })),
  );
}

/** Tag ids by slug, creating unknown tags as setPostTags does (slugify(name, 'tag'); the first name wins). */
async function ensureTags(sp: Tx, items: Prepared[], tagIds: Map<string, string>, added: string[]): Promise<void> {
  const missing = new Map<string, string>();
  for (const item of items) {
    for (const name of item.tagList) {
      const slug = tagSlug(name);
      if (!tagIds.has(slug) && !missing.has(slug)) missing.set(slug, name);
    }
  }
  if (missing.size === 0) return;
  await sp
    .insert(tags)
    .values([...missing].map(([slug, name]) => ({ name, slug })))
    .onConflictDoNothing({ target: tags.slug });
  const rows = await sp
    .select({ id: tags.id, slug: tags.slug })
    .from(tags)
    .where(inArray(tags.slug, [...missing.keys()]));
  for (const row of rows) {
    tagIds.set(row.slug, row.id);
    added.push(row.slug);
  }
}

/** A post the export changed since the last import: updated in place, a new revision, its own savepoint. */
async function updateEntry(ctx: ImportContext, item: Prepared): Promise<void> {
  const existing = item.existing!;
  try {
    await ctx.tx.transaction(async (sp) => {
      if (existing.kind !== item.entry.kind) item.problems.push(`was imported as a ${existing.kind}: kept as one`);
      const [post] = await sp
        .update(posts)
        .set({
          ...item.values,
          kind: existing.kind,
          extra: item.extra,
          ...item.columns!,
          ...(item.entry.createdAt ? { createdAt: item.entry.createdAt } : {}),
          updatedAt: sql`now()`,
          version: sql`${posts.version} + 1`,
        })
        .where(eq(posts.id, existing.id))
        .returning({ version: posts.version });
      await setPostTags(sp, existing.id, item.tagList);
      // Position 0 follows posts.author_id (the trigger); the co-authors are the source's again.
      await sp.delete(postAuthors).where(and(eq(postAuthors.postId, existing.id), gt(postAuthors.position, 0)));
      if (item.coAuthors.length > 0) {
        await sp.insert(postAuthors).values(item.coAuthors.map((userId, index) => ({ postId: existing.id, userId, position: index + 1 })));
      }
      await sp.insert(postRevisions).values({
        postId: existing.id,
        version: post.version,
        kind: 'import',
        actorId: ctx.options.actorId,
        title: item.values.title,
        markdown: item.markdown,
        fields: { description: item.values.description, tags: item.tagList, status: item.values.status, source: ctx.source },
      });
    });
  } catch (error) {
    if (!isTooLongForSearchIndex(error)) throw error;
    item.problems.push(`not imported: ${SEARCH_INDEX_REFUSAL}`);
    return;
  }
  setWritten(item, existing.kind, existing.slug, 'updated');
}
