/** Helpers for content import/export tests: temporary content directories and database snapshots. */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { postAuthors, posts, postRevisions, postTags, series, tags, users } from '@/db/schema';

export const contentDir = fileURLToPath(new URL('../../content', import.meta.url));
export const sampleFile = path.join(contentDir, 'when-deepseek-hit-the-news.md');
export const fixturesDir = fileURLToPath(new URL('../fixtures/content', import.meta.url));
export const SAMPLE_SLUG = 'when-deepseek-hit-the-news-i-couldnt-ignore-these-worries';

const made: string[] = [];

/** A fresh temporary directory holding `files` (name → text); `sample: true` copies the sample article in. */
export async function tempContentDir(files: Record<string, string> = {}, { sample = false } = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'broadsheet-content-'));
  made.push(dir);
  if (sample) await copyFile(sampleFile, path.join(dir, path.basename(sampleFile)));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A small valid import document. */
export function contentFile(fields: Record<string, string>, body = 'A short body.\n'): string {
  const lines = Object.entries({ author: '"Ann Author"', status: 'draft', ...fields }).map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n\n${body}`;
}

export async function counts() {
  const db = getDb();
  const count = async (table: typeof posts | typeof users | typeof tags | typeof postTags | typeof postRevisions) =>
    (await db.select({ n: sql<number>`count(*)::int` }).from(table))[0].n;
  return {
    posts: await count(posts),
    users: await count(users),
    tags: await count(tags),
    postTags: await count(postTags),
    revisions: await count(postRevisions),
  };
}

/** Every row of the content tables, in a stable order: two equal snapshots mean an untouched database. */
export async function snapshot() {
  const db = getDb();
  const all = async (table: string, order: string) => (await db.execute(sql.raw(`select * from ${table} order by ${order}`))).rows;
  return {
    users: await all('users', 'slug'),
    posts: await all('posts', 'slug'),
    tags: await all('tags', 'slug'),
    postTags: await all('post_tags', 'post_id, position'),
    revisions: await all('post_revisions', 'post_id, version, id'),
  };
}

/** A post as the import format describes it, read back from the database: what an export must preserve. */
export async function postAsAuthored(slug: string) {
  const db = getDb();
  const [row] = await db
    .select({
      slug: posts.slug,
      title: posts.title,
      subtitle: posts.subtitle,
      description: posts.description,
      author: users.name,
      readTimeOverride: posts.readTimeOverride,
      publishAt: posts.publishAt,
      createdAt: posts.createdAt,
      heroImage: posts.heroImage,
      heroImageAlt: posts.heroImageAlt,
      cta: posts.cta,
      status: posts.status,
      extra: posts.extra,
      markdown: posts.markdown,
      html: posts.html,
      featured: posts.featured,
      series: sql<string | null>`(select ${series.name} from ${series} where ${series.id} = ${posts.seriesId})`,
      authors: sql<
        string[]
      >`(select array_agg(byline.name order by ${postAuthors.position}) from ${postAuthors} join ${users} byline on byline.id = ${postAuthors.userId} where ${postAuthors.postId} = ${posts.id})`,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(eq(posts.slug, slug));
  if (!row) return null;
  const tagRows = await db
    .select({ name: tags.name })
    .from(postTags)
    .innerJoin(tags, eq(tags.id, postTags.tagId))
    .innerJoin(posts, eq(posts.id, postTags.postId))
    .where(eq(posts.slug, slug))
    .orderBy(asc(postTags.position));
  return { ...row, tags: tagRows.map((t) => t.name) };
}
