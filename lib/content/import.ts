import 'server-only';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { postAuthors, posts, postRevisions, users } from '@/db/schema';
import { setPostTags, type Tx } from '@/lib/tags/mutations';
import { MarkdownTooLargeError } from '@/lib/markdown';
import { isTooLongForSearchIndex, SEARCH_INDEX_REFUSAL } from '@/lib/posts/schemas';
import { seriesNamed } from '@/lib/posts/publication';
import { renderedColumns } from '@/lib/posts/render';
import { slugify } from '@/lib/slug';
import { ContentError, parseContent, type ContentDocument } from './frontmatter';

export type ImportedFile = { file: string; slug: string; outcome: 'created' | 'updated' | 'unchanged' };

/** Reads and validates every .md file in `dir` (sorted). Throws ContentError naming the first bad file. */
export async function readContentDir(dir: string): Promise<{ file: string; doc: ContentDocument }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  } catch {
    throw new ContentError(`${dir}: no such directory`);
  }
  const docs: { file: string; doc: ContentDocument }[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    let doc: ContentDocument;
    try {
      doc = parseContent(await readFile(file, 'utf8'));
    } catch (error) {
      if (error instanceof ContentError) throw new ContentError(`${file}: ${error.message}`);
      throw error;
    }
    const other = seen.get(doc.slug);
    if (other) throw new ContentError(`${file}: slug "${doc.slug}" is already used by ${other}`);
    seen.set(doc.slug, file);
    docs.push({ file, doc });
  }
  return docs;
}

/**
 * Upserts the documents by slug in ONE transaction: every file or none. Authors and tags are
 * created when unknown. Re-importing the same files changes nothing (not even versions).
 */
export async function importDocuments(
  docs: { file: string; doc: ContentDocument }[],
  onProgress: (line: ImportedFile) => void = () => undefined,
): Promise<ImportedFile[]> {
  // Render outside the transaction: it is the slow part and needs no lock. A body the pipeline
  // refuses (too complex to render in time) is a bad file like any other: named, nothing imported.
  const rendered = await Promise.all(
    docs.map(({ file, doc }) =>
      renderedColumns(doc.markdown).catch((error: unknown) => {
        if (error instanceof MarkdownTooLargeError) throw new ContentError(`${file}: body ${lowerFirst(error.message)}`);
        throw error;
      }),
    ),
  );
  return getDb().transaction(async (tx) => {
    const results: ImportedFile[] = [];
    const authorIds = new Map<string, string>();
    for (const name of new Set(docs.flatMap(({ doc }) => doc.authors))) {
      const slug = slugify(name, 'author');
      await tx.insert(users).values({ name, slug, role: 'author' }).onConflictDoNothing({ target: users.slug });
      const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.slug, slug));
      authorIds.set(name, row.id);
    }
    for (const [index, { file, doc }] of docs.entries()) {
      let line: ImportedFile;
      try {
        line = await upsertDocument(tx, file, doc, rendered[index], [...new Set(doc.authors.map((name) => authorIds.get(name)!))]);
      } catch (error) {
        // PostgreSQL refuses a search index over 1 MB: a bad file too, not a crash.
        if (isTooLongForSearchIndex(error)) throw new ContentError(`${file}: ${SEARCH_INDEX_REFUSAL}`);
        throw error;
      }
      onProgress(line);
      results.push(line);
    }
    return results;
  });
}

/** One document, inside the import's transaction: created, updated or left unchanged, with its tags and a revision. */
async function upsertDocument(
  tx: Tx,
  file: string,
  doc: ContentDocument,
  columns: Awaited<ReturnType<typeof renderedColumns>>,
  byline: string[],
): Promise<ImportedFile> {
  const [authorId] = byline;
  const seriesId = doc.series ? await seriesNamed(tx, doc.series) : null;
  const values = {
    slug: doc.slug,
    title: doc.title,
    subtitle: doc.subtitle,
    description: doc.description,
    authorId,
    status: doc.status,
    publishAt: doc.publishAt,
    firstPublishedAt: doc.status === 'published' || doc.status === 'scheduled' ? doc.publishAt : null,
    markdown: doc.markdown,
    readTimeOverride: doc.readTimeOverride,
    heroImage: doc.heroImage,
    heroImageAlt: doc.heroImageAlt,
    cta: doc.cta,
    extra: doc.extra,
    featured: doc.featured,
    seriesId,
    ...columns,
  };
  const [existing] = await tx
    .select({ id: posts.id })
    .from(posts)
    .where(eq(posts.slug, doc.slug))
    .for('update');
  let postId: string;
  let outcome: ImportedFile['outcome'];
  if (!existing) {
    const [row] = await tx
      .insert(posts)
      .values({ ...values, ...(doc.createdAt ? { createdAt: doc.createdAt } : {}) })
      .returning({ id: posts.id, version: posts.version });
    postId = row.id;
    outcome = 'created';
  } else {
    postId = existing.id;
    const changed = await tx
      .update(posts)
      .set({
        ...values,
        ...(doc.createdAt ? { createdAt: doc.createdAt } : {}),
        // Set once: a re-import as a draft must not let the slug start following the title again.
        firstPublishedAt: sql`coalesce(${posts.firstPublishedAt}, ${values.firstPublishedAt?.toISOString() ?? null}::timestamptz)`,
        updatedAt: sql`now()`,
        version: sql`${posts.version} + 1`,
      })
      .where(
        and(
          eq(posts.id, postId),
          sql`(${posts.title}, ${posts.subtitle}, ${posts.description}, ${posts.authorId}, ${posts.status},
               ${posts.publishAt}, ${posts.markdown}, ${posts.readTimeOverride}, ${posts.heroImage},
               ${posts.heroImageAlt}, ${posts.cta}, ${posts.extra}, ${posts.html}, ${posts.createdAt}, ${posts.featured}, ${posts.seriesId})
              is distinct from
              (${values.title}, ${values.subtitle}, ${values.description}, ${values.authorId}::uuid,
               ${values.status}::post_status, ${values.publishAt?.toISOString() ?? null}::timestamptz,
               ${values.markdown}, ${values.readTimeOverride}::int, ${values.heroImage}, ${values.heroImageAlt},
               ${values.cta}, ${JSON.stringify(values.extra)}::jsonb, ${values.html},
               coalesce(${doc.createdAt?.toISOString() ?? null}::timestamptz, ${posts.createdAt}), ${values.featured}::boolean, ${seriesId}::uuid)`,
        ),
      )
      .returning({ id: posts.id });
    outcome = changed.length > 0 ? 'updated' : 'unchanged';
  }
  const tagsChanged = await setPostTags(tx, postId, doc.tags);
  const bylineChanged = await setCoAuthors(tx, postId, byline.slice(1));
  if (outcome === 'unchanged' && (tagsChanged || bylineChanged)) {
    outcome = 'updated';
    await tx.update(posts).set({ updatedAt: sql`now()`, version: sql`${posts.version} + 1` }).where(eq(posts.id, postId));
  }
  if (outcome !== 'unchanged') {
    const [post] = await tx.select({ version: posts.version }).from(posts).where(eq(posts.id, postId));
    await tx.insert(postRevisions).values({
      postId,
      version: post.version,
      kind: 'import',
      title: doc.title,
      markdown: doc.markdown,
      fields: { subtitle: doc.subtitle, description: doc.description, tags: doc.tags, status: doc.status },
    });
  }
  return { file, slug: doc.slug, outcome };
}

/** The byline after the primary author (kept at position 0 by the posts trigger); whether it changed. */
async function setCoAuthors(tx: Tx, postId: string, coAuthors: string[]): Promise<boolean> {
  const current = await tx
    .select({ userId: postAuthors.userId })
    .from(postAuthors)
    .where(and(eq(postAuthors.postId, postId), gt(postAuthors.position, 0)))
    .orderBy(asc(postAuthors.position));
  if (current.map((row) => row.userId).join() === coAuthors.join()) return false;
  await tx.delete(postAuthors).where(and(eq(postAuthors.postId, postId), gt(postAuthors.position, 0)));
  if (coAuthors.length > 0) await tx.insert(postAuthors).values(coAuthors.map((userId, index) => ({ postId, userId, position: index + 1 })));
  return true;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

export async function importContentDir(dir: string, onProgress?: (line: ImportedFile) => void) {
  return importDocuments(await readContentDir(dir), onProgress);
}
