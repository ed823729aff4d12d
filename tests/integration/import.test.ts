import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts, postRevisions, postTags, tags, users } from '@/db/schema';
import { ContentError, parseContent } from '@/lib/content/frontmatter';
import { importContentDir, importDocuments, readContentDir } from '@/lib/content/import';
import { RENDERER_VERSION } from '@/lib/markdown';
import { listPublicPosts } from '@/lib/posts/queries';
import { resetDatabase } from '../support/db';
import { contentDir, contentFile, counts, removeTempDirs, SAMPLE_SLUG, sampleFile, snapshot, tempContentDir } from '../support/content';

beforeEach(async () => {
  await resetDatabase();
});
afterAll(removeTempDirs);

async function postBySlug(slug: string) {
  const [row] = await getDb().select().from(posts).where(eq(posts.slug, slug));
  return row;
}

async function tagNamesOf(postId: string) {
  const rows = await getDb()
    .select({ name: tags.name, slug: tags.slug, position: postTags.position })
    .from(postTags)
    .innerJoin(tags, eq(tags.id, postTags.tagId))
    .where(eq(postTags.postId, postId))
    .orderBy(asc(postTags.position));
  return rows;
}

/** Runs `fn`, expecting a ContentError; returns its message. */
async function contentErrorOf(fn: () => Promise<unknown>): Promise<string> {
  const error = await fn().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a ContentError').toBeInstanceOf(ContentError);
  return (error as Error).message;
}

describe('importing content/', () => {
  it('creates the sample post with every field as authored', async () => {
    const results = await importContentDir(contentDir);
    expect(results).toEqual([{ file: sampleFile, slug: SAMPLE_SLUG, outcome: 'created' }]);

    const post = await postBySlug(SAMPLE_SLUG);
    expect(post.title).toBe("When DeepSeek Hit the News, I Couldn't Ignore These Worries");
    expect(post.subtitle).toBe('The rise of DeepSeek challenges AI development assumptions while raising security concerns');
    expect(post.description).toMatch(/^DeepSeek's unexpected rise to prominence/);
    expect(post.readTimeOverride).toBe(8);
    expect(post.status).toBe('published');
    expect(post.publishAt).toEqual(new Date('2024-01-25T00:00:00Z'));
    expect(post.firstPublishedAt).toEqual(new Date('2024-01-25T00:00:00Z'));
    expect(post.createdAt).toEqual(new Date('2025-02-13T00:00:00Z'));
    expect(post.heroImage).toBe('https://images.magick.ai/general/ai-landscape-abstract-blue.jpg');
    expect(post.heroImageAlt).toBe('Abstract blue landscape of light and data');
    expect(post.cta).toMatch(/^Want to stay ahead of the latest developments in AI\?/);
    expect(post.extra).toEqual({});
    expect(post.version).toBe(1);

    const source = parseContent(await readFile(sampleFile, 'utf8'));
    expect(post.markdown).toBe(source.markdown);
    expect(post.rendererVersion).toBe(RENDERER_VERSION);
    expect(post.html).toContain('<img');
    expect(post.html).toContain('https://i.magick.ai/PIXE/1739463041736_magick_img.webp');
    expect(post.html).toContain('<p>The rise of DeepSeek');
    expect(post.wordCount).toBeGreaterThan(500);

    const authors = await getDb().select().from(users);
    expect(authors).toHaveLength(1);
    expect(authors[0]).toMatchObject({ id: post.authorId, name: 'David Jenkins', slug: 'david-jenkins', role: 'author', email: null, passwordHash: null });

    expect(await tagNamesOf(post.id)).toEqual([
      { name: 'AI', slug: 'ai', position: 0 },
      { name: 'Security', slug: 'security', position: 1 },
      { name: 'Open Source', slug: 'open-source', position: 2 },
    ]);

    const revisions = await getDb().select().from(postRevisions).where(eq(postRevisions.postId, post.id));
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ kind: 'import', version: 1, title: post.title });
  });

  it('keeps unknown frontmatter keys in extra', async () => {
    const dir = await tempContentDir({
      'extra.md': contentFile({
        title: '"Extras"',
        canonical: '"https://example.com/c"',
        series: '{name: "Deep dives", part: 2}',
        flags: '[1, true, null]',
      }),
    });
    await importContentDir(dir);
    const post = await postBySlug('extras');
    expect(post.extra).toEqual({ canonical: 'https://example.com/c', series: { name: 'Deep dives', part: 2 }, flags: [1, true, null] });
    expect(post.status).toBe('draft');
    expect(post.publishAt).toBeNull();
    expect(post.firstPublishedAt).toBeNull();
  });

  it('is idempotent: a second import changes nothing at all', async () => {
    await importContentDir(contentDir);
    const before = await snapshot();
    const results = await importContentDir(contentDir);
    expect(results.map((r) => r.outcome)).toEqual(['unchanged']);
    expect(await snapshot()).toEqual(before);
    expect(await counts()).toEqual({ posts: 1, users: 1, tags: 3, postTags: 3, revisions: 1 });
  });

  it('is idempotent for drafts, extra keys, timestamps and posts without created_date', async () => {
    const dir = await tempContentDir(
      {
        'draft.md': contentFile({ title: '"Plain draft"', tags: '["One", "Two"]' }),
        'timed.md': contentFile({
          title: '"Timed"',
          status: 'scheduled',
          publish_date: '"2030-01-01T08:00:00.5+01:00"',
          extra_key: '{nested: [1, 2]}',
        }),
      },
      { sample: true },
    );
    await importContentDir(dir);
    const before = await snapshot();
    const results = await importContentDir(dir);
    expect(results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await snapshot()).toEqual(before);
  });

  it('a changed body is an update: version + 1, new html, one more revision, same id', async () => {
    const dir = await tempContentDir({}, { sample: true });
    await importContentDir(dir);
    const first = await postBySlug(SAMPLE_SLUG);
    const file = path.join(dir, path.basename(sampleFile));
    await writeFile(file, (await readFile(file, 'utf8')) + '\n\nA brand new closing paragraph.\n');

    const results = await importContentDir(dir);
    expect(results.map((r) => r.outcome)).toEqual(['updated']);
    const second = await postBySlug(SAMPLE_SLUG);
    expect(second.id).toBe(first.id);
    expect(second.version).toBe(first.version + 1);
    expect(second.markdown).toContain('A brand new closing paragraph.');
    expect(second.html).toContain('<p>A brand new closing paragraph.</p>');
    expect(second.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
    expect(second.createdAt).toEqual(first.createdAt);
    expect((await counts()).revisions).toBe(2);
    // …and a third import of the same text is unchanged again.
    expect((await importContentDir(dir)).map((r) => r.outcome)).toEqual(['unchanged']);
    expect((await postBySlug(SAMPLE_SLUG)).version).toBe(second.version);
  });

  it("the author's read_time wins over the computed reading time in public lists", async () => {
    await importContentDir(contentDir);
    const post = await postBySlug(SAMPLE_SLUG);
    expect(post.readingMinutes).not.toBe(8); // computed from ~1,000 words
    const [summary] = (await listPublicPosts({ limit: 10 })).items;
    expect(summary).toMatchObject({ slug: SAMPLE_SLUG, readingMinutes: 8, author: { name: 'David Jenkins', slug: 'david-jenkins' } });
  });

  it('first_published_at is set once: re-importing the post as a draft keeps it', async () => {
    const dir = await tempContentDir({}, { sample: true });
    await importContentDir(dir);
    const file = path.join(dir, path.basename(sampleFile));
    await writeFile(file, (await readFile(file, 'utf8')).replace('tags: [', 'status: draft\ntags: ['));
    expect((await importContentDir(dir)).map((r) => r.outcome)).toEqual(['updated']);
    const post = await postBySlug(SAMPLE_SLUG);
    expect(post.status).toBe('draft');
    expect(post.firstPublishedAt).toEqual(new Date('2024-01-25T00:00:00Z'));
  });

  it('a change to the tags alone (order included) is an update', async () => {
    const dir = await tempContentDir({ 'p.md': contentFile({ title: '"Tagged"', tags: '["A", "B", "C"]' }) });
    await importContentDir(dir);
    await writeFile(path.join(dir, 'p.md'), contentFile({ title: '"Tagged"', tags: '["C", "A"]' }));
    expect((await importContentDir(dir)).map((r) => r.outcome)).toEqual(['updated']);
    const post = await postBySlug('tagged');
    expect(post.version).toBe(2);
    expect((await tagNamesOf(post.id)).map((t) => t.name)).toEqual(['C', 'A']);
  });
});

describe('a bad file imports nothing', () => {
  const bad: [string, string, RegExp][] = [
    ['bad YAML', contentFile({ title: '"Broken"', tags: '[unclosed' }), /malformed YAML/],
    ['a missing title', contentFile({ subtitle: '"no title here"' }), /title/],
    ['an impossible date', contentFile({ title: '"Leap"', status: 'published', publish_date: '"2023-02-29"' }), /publish_date.*not a real date/],
  ];

  it.each(bad)('%s: error names the bad file, database untouched', async (_name, text, problem) => {
    // "z-" sorts after the sample, so the good file is read (and would be imported) first.
    const dir = await tempContentDir({ 'z-bad.md': text }, { sample: true });
    const message = await contentErrorOf(() => importContentDir(dir));
    expect(message).toContain(path.join(dir, 'z-bad.md'));
    expect(message).toMatch(problem);
    expect(await counts()).toEqual({ posts: 0, users: 0, tags: 0, postTags: 0, revisions: 0 });
  });

  it('two files with the same slug: error names the second file and the first, nothing imported', async () => {
    const dir = await tempContentDir({
      'a.md': contentFile({ title: '"Same Title"' }),
      'b.md': contentFile({ title: '"Another"', slug: 'same-title' }),
    });
    const message = await contentErrorOf(() => importContentDir(dir));
    expect(message).toContain(path.join(dir, 'b.md'));
    expect(message).toContain('same-title');
    expect(message).toContain(path.join(dir, 'a.md'));
    expect(await counts()).toEqual({ posts: 0, users: 0, tags: 0, postTags: 0, revisions: 0 });
  });

  it('a missing directory is a ContentError', async () => {
    const message = await contentErrorOf(() => importContentDir(path.join(contentDir, 'does-not-exist')));
    expect(message).toMatch(/no such directory/);
  });

  it('a file with a NUL character is refused naming the file, nothing imported', async () => {
    // YAML's "\0" escape is valid YAML, but PostgreSQL text cannot hold U+0000.
    const dir = await tempContentDir({ 'nul.md': contentFile({ title: '"Null\\0byte"' }) }, { sample: true });
    const message = await contentErrorOf(() => importContentDir(dir));
    expect(message).toContain(path.join(dir, 'nul.md'));
    expect(await counts()).toEqual({ posts: 0, users: 0, tags: 0, postTags: 0, revisions: 0 });
  });
});

describe('a failure inside the transaction', () => {
  it('rolls back everything, leaving the database exactly as before', async () => {
    await importContentDir(contentDir);
    const before = await snapshot();

    const [{ file, doc }] = await readContentDir(contentDir);
    const changed = { file, doc: { ...doc, markdown: doc.markdown + '\n\nChanged.\n', tags: ['New Tag'], author: 'New Person' } };
    const broken = {
      file: '/tmp/broken.md',
      doc: { ...doc, slug: 'broken-one', author: 'Another New Person', tags: ['Other Tag'], publishAt: new Date('not a date') },
    };
    const seen: string[] = [];
    await expect(importDocuments([changed, broken], (line) => seen.push(line.outcome))).rejects.toThrow();
    expect(seen).toEqual(['updated']); // the first document did get written inside the transaction…
    expect(await snapshot()).toEqual(before); // …and was rolled back.
  });

  it('rolls back when PostgreSQL itself rejects the second document', async () => {
    await importContentDir(contentDir);
    const before = await snapshot();
    const [{ file, doc }] = await readContentDir(contentDir);
    const changed = { file, doc: { ...doc, title: 'Changed title' } };
    const rejected = { file: '/tmp/nul.md', doc: { ...doc, slug: 'nul-title', title: 'bad\u0000title' } };
    await expect(importDocuments([changed, rejected])).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
  });
});
