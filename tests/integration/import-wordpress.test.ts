import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { media, navigationItems, posts, postRevisions, redirects, users } from '@/db/schema';
import { findRedirect } from '@/lib/redirects/queries';
import { getPublicPost } from '@/lib/posts/queries';
import { ImportFormatError } from '@/lib/import/types';
import { MAX_BODY } from '@/lib/content/frontmatter';
import { SEARCH_INDEX_REFUSAL } from '@/lib/posts/schemas';
import { resetDatabase } from '../support/db';
import { fixtureText, importFixture, importSnapshot, importText } from '../support/imports';
import { startOldSite, type OldSite } from '../support/old-site';

let site: OldSite;
beforeAll(async () => {
  site = await startOldSite(0);
});
afterAll(() => site.close());
beforeEach(resetDatabase);

const bySlug = async (slug: string) => (await getDb().select().from(posts).where(eq(posts.slug, slug)))[0];
const fromWordPress = (name: string, options = {}) => importFixture(`wordpress/${name}`, site.url, options);

describe('a WordPress export', () => {
  it('becomes posts, pages, authors, tags, images, menus and redirects, with a report of every problem', async () => {
    const report = await fromWordPress('site.xml');
    expect(report.totals).toMatchObject({
      posts: { created: 12, updated: 0, unchanged: 0, skipped: 0 },
      pages: { created: 2 },
      users: { created: 2 },
      tags: { created: 5 },
      media: { created: 5, skipped: 1 },
      navigation: { created: 5 },
      comments: 2,
    });

    // Statuses, dates from the GMT fields, slugs kept, excerpt → description, unknown meta in extra.
    const first = await bySlug('orchard-first-post');
    expect(first).toMatchObject({ kind: 'post', status: 'published', description: 'The first post of the orchard season.' });
    expect(first.publishAt?.toISOString()).toBe('2024-01-25T10:00:00.000Z');
    expect(first.extra).toMatchObject({ meta: { orchard_custom_field: 'kept value' } });
    expect(await bySlug('orchard-future-post')).toMatchObject({ status: 'scheduled', publishAt: new Date('2030-06-01T09:00:00Z') });
    expect(await bySlug('orchard-pending-post')).toMatchObject({ status: 'review' });
    expect(await bySlug('orchard-private-post')).toMatchObject({ status: 'draft' });
    expect(await bySlug('orchard-trashed-post')).toMatchObject({ status: 'trash' });
    expect(await bySlug('orchard-draft-without-slug')).toMatchObject({ status: 'draft', publishAt: null });
    // A password-protected post is never public, and the report says so.
    expect(await bySlug('orchard-password-post')).toMatchObject({ status: 'draft' });
    expect(await getPublicPost('orchard-password-post')).toBeNull();
    const problems = Object.fromEntries(report.entries.map((entry) => [entry.sourceId, entry.problems.join(' | ')]));
    expect(problems['107']).toMatch(/password-protected/);
    expect(problems['106']).toMatch(/private/);

    // Bodies: caption shortcode → figure, bare URL → link, unknown shortcode kept and listed,
    // blocks (heading, list, table, quote, code with language, footnote), galleries → their images.
    expect(first.markdown).toContain('"A red apple from the old tree")');
    expect(first.markdown).toContain('[https://www.youtube.com/watch?v=dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)');
    expect(first.html).toContain('<figcaption>A red apple from the old tree</figcaption>');
    expect(problems['101']).toMatch(/shortcode kept as text: \[contact-form-7/);
    const block = await bySlug('orchard-block-post');
    expect(block.markdown).toMatch(/## Orchard planning[\s\S]*- Prune in winter[\s\S]*\| Bramley \| October/);
    expect(block.html).toMatch(/<code class="[^"]*language-python/);
    expect(block.html).toMatch(/<blockquote>[\s\S]*An apple a day/);
    expect(block.markdown).toContain('[^1]: Most apple varieties');
    const gallery = await bySlug('orchard-gallery-post');
    expect(gallery.markdown.match(/!\[[^\]]*\]\(\/media\//g)).toHaveLength(2);

    // What the sanitiser would drop is gone and named.
    const embed = await bySlug('orchard-embed-post');
    expect(embed.html).not.toMatch(/<script|<iframe|onclick/i);
    expect(problems['109']).toMatch(/<script>/);
    expect(problems['109']).toMatch(/<iframe src=https:\/\/www\.youtube\.com/);

    // The old site's images are stored as media; missing and other-host ones stay remote and are listed.
    expect(first.markdown).toMatch(/\(\/media\/[0-9a-f-]{36}\/48x32\/apple\.jpg /);
    const featured = await bySlug('orchard-featured-post');
    expect(featured.heroImage).toMatch(/^\/media\/[0-9a-f-]{36}\/48x32\/dawn\.jpg$/);
    expect(featured.heroImageAlt).toBe('Orchard at dawn');
    expect(featured.markdown).toContain(`${site.url}/wp-content/uploads/2024/01/missing.jpg`);
    expect(report.remoteImages).toEqual(
      expect.arrayContaining([
        { url: `${site.url}/wp-content/uploads/2024/01/missing.jpg`, reason: 'could not be downloaded: HTTP 404' },
        { url: 'http://127.0.0.2:4599/wp-content/uploads/2024/01/remote.jpg', reason: 'on another site' },
      ]),
    );
    expect(site.requests.some((path) => path.includes('remote.jpg'))).toBe(false);
    const [{ n: stored }] = (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from media_blobs`)).rows;
    expect(stored).toBe(5);

    // Pages are pages; authors cannot sign in; categories and tags are tags.
    expect(await bySlug('orchard-about')).toMatchObject({ kind: 'page', status: 'published' });
    const authors = await getDb().select({ email: users.email, passwordHash: users.passwordHash }).from(users);
    expect(authors).toHaveLength(2);
    expect(authors.every((author) => author.email === null && author.passwordHash === null)).toBe(true);
    const post = await getPublicPost('orchard-first-post');
    expect(post?.tags.map((tag) => tag.name).sort()).toEqual(['News', 'apples', 'gardening']);
  });

  it('answers every kind of old address with the new one', async () => {
    await fromWordPress('site.xml');
    const cases: [string, string][] = [
      ['/?p=101', '/posts/orchard-first-post'],
      ['/2024/01/25/orchard-first-post/', '/posts/orchard-first-post'],
      ['/2024/01/orchard-block-post/', '/posts/orchard-block-post'],
      ['/orchard-gallery-post/', '/posts/orchard-gallery-post'],
      ['/?page_id=151', '/orchard-contact'],
      ['/orchard-about/orchard-contact/', '/orchard-contact'],
      ['/category/orchard-news/', '/tags/news'],
      ['/?cat=2', '/tags/news'],
      ['/tag/orchard-apples/', '/tags/apples'],
      ['/author/orchard-editor/', '/authors/orchard-editor'],
      ['/?author=1', '/authors/orchard-editor'],
      ['/feed/', '/feed.xml'],
      ['/comments/feed/', '/feed.xml'],
      ['/?feed=rss2', '/feed.xml'],
    ];
    for (const [from, to] of cases) expect(await findRedirect(from), from).toEqual({ to, status: 301 });
    // Never public on the old site: no address to keep.
    expect(await findRedirect('/archives/106')).toBeNull();
    expect(await findRedirect('/?p=107')).toBeNull();
  });

  it('turns the menus into the primary and footer menus', async () => {
    await fromWordPress('site.xml');
    const items = await getDb()
      .select({ menu: navigationItems.menu, label: navigationItems.label, url: navigationItems.url })
      .from(navigationItems)
      .orderBy(navigationItems.menu, navigationItems.position);
    expect(items).toEqual([
      { menu: 'primary', label: 'About the Orchard', url: '/orchard-about' },
      { menu: 'primary', label: 'News', url: '/tags/news' },
      { menu: 'primary', label: expect.any(String), url: 'https://example.org/orchard-friends' },
      { menu: 'footer', label: 'Get in touch', url: '/orchard-contact' },
      { menu: 'footer', label: expect.any(String), url: '/feed.xml' },
    ]);
  });

  it('changes nothing when the same export comes again, and updates only what a newer one changed', async () => {
    await fromWordPress('site.xml');
    const before = await importSnapshot();
    const again = await fromWordPress('site.xml');
    expect(again.totals.posts).toEqual({ created: 0, updated: 0, unchanged: 12, skipped: 0 });
    expect(again.totals.redirects.created + again.totals.redirects.updated).toBe(0);
    const after = await importSnapshot();
    expect({ ...after, audit: [] }).toEqual({ ...before, audit: [] });

    const newer = await fromWordPress('site-updated.xml');
    expect(newer.totals.posts).toEqual({ created: 1, updated: 1, unchanged: 11, skipped: 0 });
    const first = await bySlug('orchard-first-post');
    expect(first.title).toBe('Orchard First Post (revised)');
    expect(first.markdown).toContain('a week late');
    expect(first.version).toBe(2);
    const revisions = await getDb().select().from(postRevisions).where(eq(postRevisions.postId, first.id));
    expect(revisions.map((revision) => revision.kind)).toEqual(['import', 'import']);
    expect(await findRedirect('/?p=113')).toEqual({ to: '/posts/orchard-newer-post', status: 301 });
  });

  it('a dry run reports what the import will do and changes nothing', async () => {
    const before = await importSnapshot();
    const dry = await fromWordPress('site.xml', { dryRun: true });
    expect(await importSnapshot()).toEqual(before);
    const real = await fromWordPress('site.xml');
    expect(dry.dryRun).toBe(true);
    expect(dry.totals).toEqual(real.totals);
    expect(dry.entries.map((entry) => [entry.sourceId, entry.outcome, entry.path])).toEqual(
      real.entries.map((entry) => [entry.sourceId, entry.outcome, entry.path]),
    );
  });

  it('--no-media keeps every image at its old address and stores none', async () => {
    const report = await fromWordPress('site.xml', { media: false });
    expect(report.totals.media.created).toBe(0);
    expect(await getDb().select().from(media)).toEqual([]);
    expect((await bySlug('orchard-first-post')).markdown).toContain(`${site.url}/wp-content/uploads/2024/01/apple.jpg`);
    expect(report.remoteImages.some((image) => image.reason === 'kept remote (--no-media)')).toBe(true);
  });

  it('matches authors to existing accounts by email, and never replaces a redirect set by hand', async () => {
    const [editor] = await getDb()
      .insert(users)
      .values({ name: 'Existing Editor', slug: 'existing-editor', email: 'editor@old-orchard.test', role: 'editor' })
      .returning();
    await getDb().insert(redirects).values({ fromPath: '/feed', toPath: '/atom.xml', statusCode: 302, source: 'manual' });
    const report = await fromWordPress('site.xml');
    expect((await bySlug('orchard-first-post')).authorId).toBe(editor.id);
    expect(report.totals.users).toMatchObject({ created: 1, unchanged: 1 });
    expect(await findRedirect('/feed/')).toEqual({ to: '/atom.xml', status: 302 });
    expect(report.problems.join('\n')).toContain('/feed already redirects to /atom.xml');
  });

  it('reads WXR 1.1', async () => {
    const report = await fromWordPress('site-v1.1.xml');
    expect(report.totals.posts.created).toBeGreaterThanOrEqual(2);
    expect(await bySlug('orchard-archive-post')).toMatchObject({ status: 'published' });
  });

  it('gives a taken slug, or a page slug the site uses itself, a number, and says so', async () => {
    await getDb().execute(sql`insert into users (name, slug, role) values ('Someone', 'someone', 'author')`);
    await getDb().execute(
      sql`insert into posts (slug, title, author_id, status) select 'orchard-first-post', 'Already here', id, 'draft' from users where slug = 'someone'`,
    );
    const page = `<item><title>Search our orchard</title><link>${site.url}/search/</link><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
      <dc:creator><![CDATA[orchard-editor]]></dc:creator><guid isPermaLink="false">${site.url}/?page_id=160</guid>
      <content:encoded><![CDATA[<p>Find anything.</p>]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
      <wp:post_id>160</wp:post_id><wp:post_date><![CDATA[2024-01-01 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2024-01-01 10:00:00]]></wp:post_date_gmt>
      <wp:comment_status><![CDATA[closed]]></wp:comment_status><wp:ping_status><![CDATA[closed]]></wp:ping_status><wp:post_name><![CDATA[search]]></wp:post_name>
      <wp:status><![CDATA[publish]]></wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type><![CDATA[page]]></wp:post_type>
      <wp:post_password><![CDATA[]]></wp:post_password><wp:is_sticky>0</wp:is_sticky></item>`;
    const text = fixtureText('wordpress/site.xml', site.url).replace('</channel>', `${page}</channel>`);
    const report = await importText('wordpress', text);
    const lines = Object.fromEntries(report.entries.map((entry) => [entry.sourceId, entry]));
    expect(lines['101'].path).toBe('/posts/orchard-first-post-2');
    expect(lines['101'].problems).toContain('slug "orchard-first-post" was taken: imported as "orchard-first-post-2"');
    expect(lines['160'].path).toBe('/search-2');
    expect(lines['160'].problems).toContain('slug "search" is used by the site itself: imported as "search-2"');
    expect(await findRedirect('/search/')).toEqual({ to: '/search-2', status: 301 });
  });
});

describe('a file that is not a good WordPress export', () => {
  it.each([
    ['malformed.xml', /^line 13, column \d+: unexpected close tag/],
    ['billion-laughs.xml', /^line 2, column 1: DOCTYPE with entity declarations is not accepted/],
    ['external-entity.xml', /^line 2, column 1: DOCTYPE with entity declarations is not accepted/],
    ['not-wxr.xml', /^line 7, column \d+: not a WordPress export/],
  ])('%s names the line and imports nothing', async (name, message) => {
    const before = await importSnapshot();
    const started = Date.now();
    const error = await fromWordPress(name).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as Error).message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await importSnapshot()).toEqual(before);
    expect(site.requests.filter((path) => path.includes('passwd'))).toEqual([]);
  });

  it('a failure half-way leaves the database as it was, images included', async () => {
    // A trigger that refuses one post in the middle of the import: an error the importer does not expect.
    await getDb().execute(sql`
      create or replace function refuse_gallery() returns trigger language plpgsql as $$
      begin if new.slug = 'orchard-gallery-post' then raise exception 'refused by the test'; end if; return new; end $$;
      create trigger refuse_gallery before insert on posts for each row execute function refuse_gallery()`);
    try {
      const before = await importSnapshot();
      const error = (await fromWordPress('site.xml').catch((cause: unknown) => cause)) as Error & { cause?: Error };
      expect(error.cause?.message ?? error.message).toMatch(/refused by the test/);
      expect(await importSnapshot()).toEqual(before);
    } finally {
      await getDb().execute(sql`drop trigger refuse_gallery on posts; drop function refuse_gallery()`);
    }
  });
});

describe('writing the entries', () => {
  /** One published WordPress post, for adding to the fixture. */
  const post = (id: number, slug: string, body: string) => `<item><title>Post ${id}</title><link>${site.url}/?p=${id}</link>
      <pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate><dc:creator><![CDATA[orchard-editor]]></dc:creator><guid isPermaLink="false">${site.url}/?p=${id}</guid>
      <content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
      <wp:post_id>${id}</wp:post_id><wp:post_date><![CDATA[2024-01-01 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2024-01-01 10:00:00]]></wp:post_date_gmt>
      <wp:comment_status><![CDATA[closed]]></wp:comment_status><wp:ping_status><![CDATA[closed]]></wp:ping_status><wp:post_name><![CDATA[${slug}]]></wp:post_name>
      <wp:status><![CDATA[publish]]></wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type><![CDATA[post]]></wp:post_type>
      <wp:post_password><![CDATA[]]></wp:post_password><wp:is_sticky>0</wp:is_sticky></item>`;

  it('skips only the entry whose body PostgreSQL cannot index, and writes the rest of its batch', { timeout: 120_000 }, async () => {
    // ~1 MB of distinct words: fine for the renderer, too many lexemes for PostgreSQL's 1 MB tsvector.
    const words: string[] = [];
    for (let i = 0, length = 0; length + 33 <= MAX_BODY - 2_000; i += 1, length += 33) words.push(createHash('md5').update(String(i)).digest('hex'));
    const extra = post(170, 'orchard-too-many-words', `<p>${words.join(' ')}</p>`) + post(171, 'orchard-after-the-big-one', '<p>Still here.</p>');
    const text = fixtureText('wordpress/site.xml', site.url).replace('</channel>', `${extra}</channel>`);
    const report = await importText('wordpress', text);
    expect(report.totals.posts).toMatchObject({ created: 13, skipped: 1 });
    const lines = Object.fromEntries(report.entries.map((entry) => [entry.sourceId, entry]));
    expect(lines['170']).toMatchObject({ outcome: 'skipped', path: '' });
    expect(lines['170'].problems).toContain(`not imported: ${SEARCH_INDEX_REFUSAL}`);
    expect(lines['171']).toMatchObject({ outcome: 'created', path: '/posts/orchard-after-the-big-one' });
    expect(await bySlug('orchard-too-many-words')).toBeUndefined();
    expect(await bySlug('orchard-after-the-big-one')).toMatchObject({ status: 'published' });
    const first = await bySlug('orchard-first-post');
    const revisions = await getDb().select().from(postRevisions).where(eq(postRevisions.postId, first.id));
    expect(revisions).toMatchObject([{ version: 1, kind: 'import' }]);
    expect(await findRedirect('/?p=171')).toEqual({ to: '/posts/orchard-after-the-big-one', status: 301 });
  });

  it("claims the sources' own slugs first: a slugless draft titled like a later post's slug gets the number", async () => {
    // Draft 104 has no slug; its title makes "orchard-pending-post", which post 105 (later in the file) had on the old site.
    const text = fixtureText('wordpress/site.xml', site.url).replace(
      '<title><![CDATA[Orchard Draft Without Slug]]></title>',
      '<title><![CDATA[Orchard Pending Post]]></title>',
    );
    const report = await importText('wordpress', text);
    const lines = Object.fromEntries(report.entries.map((entry) => [entry.sourceId, entry]));
    expect(lines['105'].path).toBe('/posts/orchard-pending-post');
    expect(lines['105'].problems.join(' ')).not.toMatch(/was taken/);
    expect(lines['104'].path).toBe('/posts/orchard-pending-post-2');
    expect(lines['104'].problems).toContain('slug "orchard-pending-post" was taken: imported as "orchard-pending-post-2"');
    expect(await bySlug('orchard-pending-post')).toMatchObject({ status: 'review' });
    expect(await bySlug('orchard-pending-post-2')).toMatchObject({ status: 'draft' });
  });
});

describe('in worker threads (the command line, for an export over a few MB)', () => {
  // Media and user ids (in image URLs, and in each entry's fingerprint through its author) are new in each database.
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const rows = async () => {
    const { rows: written } = await getDb().execute(
      sql`select slug, kind, status, markdown, html, toc, word_count, reading_minutes, renderer_version, hero_image, extra - 'import' as extra from posts order by slug`,
    );
    return JSON.parse(JSON.stringify(written).replace(UUID, 'UUID')) as unknown[];
  };
  const sameReport = (report: Awaited<ReturnType<typeof importText>>) => ({ ...report, durationMs: 0 });

  it('writes exactly what the import writes in its own thread, refusals included', { timeout: 60_000 }, async () => {
    // A body over the renderer's limit: refused in the thread that renders it, reported like any other.
    const tooLong = `<item><title>Too long</title><dc:creator><![CDATA[orchard-editor]]></dc:creator>
      <content:encoded><![CDATA[<p>${'word '.repeat(210_000)}</p>]]></content:encoded>
      <wp:post_id>180</wp:post_id><wp:post_date_gmt><![CDATA[2024-01-01 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[too-long]]></wp:post_name>
      <wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type></item>`;
    const text = fixtureText('wordpress/site.xml', site.url).replace('</channel>', `${tooLong}</channel>`);
    const inline = await importText('wordpress', text);
    const written = await rows();
    await resetDatabase();
    const threaded = await importText('wordpress', text, { threads: 2 });
    expect(sameReport(threaded)).toEqual(sameReport(inline));
    expect(await rows()).toEqual(written);
    const refused = threaded.entries.find((entry) => entry.sourceId === '180')!;
    expect(refused.outcome).toBe('skipped');
    expect(refused.problems).toContain('not imported: the body markdown is too large to render: 1050000 characters (limit 1000000).');
    expect(written.length).toBe(threaded.totals.posts.created + threaded.totals.pages.created);
  });
});
