import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts } from '@/db/schema';
import { exportContentDir } from '@/lib/content/export';
import { parseContent } from '@/lib/content/frontmatter';
import { importContentDir } from '@/lib/content/import';
import { resetDatabase } from '../support/db';
import { contentDir, counts, fixturesDir, postAsAuthored, removeTempDirs, SAMPLE_SLUG, sampleFile, snapshot, tempContentDir } from '../support/content';

const extrasDir = path.join(fixturesDir, 'export-extras');

beforeEach(async () => {
  await resetDatabase();
});
afterAll(removeTempDirs);

async function allPostsAsAuthored() {
  const slugs = (await getDb().select({ slug: posts.slug }).from(posts).orderBy(posts.slug)).map((r) => r.slug);
  return Promise.all(slugs.map(postAsAuthored));
}

describe('export → import', () => {
  it('gives back every post as it was, field for field', async () => {
    await importContentDir(contentDir);
    await importContentDir(extrasDir);
    const original = await allPostsAsAuthored();
    expect(original.map((p) => p!.slug)).toEqual(['a-draft-in-progress', 'everything-else-is-kept', 'scheduled-for-later-quantum-networks', SAMPLE_SLUG]);
    // The fixtures really exercise what they are meant to.
    const bySlug = Object.fromEntries(original.map((p) => [p!.slug, p!]));
    expect(bySlug['a-draft-in-progress'].status).toBe('draft');
    expect(bySlug['a-draft-in-progress'].publishAt).toBeNull();
    expect(bySlug['scheduled-for-later-quantum-networks'].publishAt).toEqual(new Date('2099-06-01T07:15:30.250Z'));
    expect(bySlug['everything-else-is-kept'].extra).toMatchObject({ series: { name: 'Deep dives', part: 3, done: false }, aliases: ['old-slug', 'older-slug'] });
    expect(bySlug['everything-else-is-kept'].featured).toBe(true);
    expect(bySlug['scheduled-for-later-quantum-networks']).toMatchObject({
      authors: ['David Jenkins', 'Maria Ortega'],
      series: 'Quantum, part by part',
      featured: false,
    });

    const out = await tempContentDir();
    const files = await exportContentDir(out);
    expect(files).toHaveLength(4);
    expect((await readdir(out)).sort()).toEqual(original.map((p) => `${p!.slug}.md`));

    await resetDatabase();
    const results = await importContentDir(out);
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'created', 'created']);
    expect(await allPostsAsAuthored()).toEqual(original);
    expect(await counts()).toMatchObject({ posts: 4, users: 2, tags: 7 });
  });

  it("the exported sample's frontmatter parses to the same values as the original file", async () => {
    await importContentDir(contentDir);
    const out = await tempContentDir();
    await exportContentDir(out);
    const exported = parseContent(await readFile(path.join(out, `${SAMPLE_SLUG}.md`), 'utf8'));
    const original = parseContent(await readFile(sampleFile, 'utf8'));
    expect(exported).toEqual(original);
  });

  it('importing an export back into the same database changes nothing', async () => {
    await importContentDir(contentDir);
    await importContentDir(extrasDir);
    const out = await tempContentDir();
    await exportContentDir(out);
    const before = await snapshot();
    const results = await importContentDir(out);
    expect(results.map((r) => `${r.slug}: ${r.outcome}`)).toEqual(results.map((r) => `${r.slug}: unchanged`));
    expect(await snapshot()).toEqual(before);
  });

  it('round-trips timestamps stored with microsecond precision', async () => {
    await importContentDir(contentDir);
    // created_at defaults to now() (microseconds) for posts authored in the app or imported without created_date.
    await getDb().execute(sql`update posts set created_at = '2024-02-01 10:00:00.123456+00'`);
    const out = await tempContentDir();
    await exportContentDir(out);
    expect((await importContentDir(out)).map((r) => r.outcome)).toEqual(['unchanged']);
  });
});
