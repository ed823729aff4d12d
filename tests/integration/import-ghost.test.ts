import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, navigationItems, posts, tags, users } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/errors';
import { prepareStagedImport, stageImport } from '@/lib/import/mutations';
import { ImportFormatError } from '@/lib/import/types';
import { getPublicPost, listPublicPostsByTag } from '@/lib/posts/queries';
import { findRedirect } from '@/lib/redirects/queries';
import { insertUser, signInAs } from '../support/actors';
import { resetDatabase } from '../support/db';
import { fixtureText, importFixture, importSnapshot } from '../support/imports';
import { startOldSite, type OldSite } from '../support/old-site';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let site: OldSite;
beforeAll(async () => {
  site = await startOldSite(0);
});
afterAll(() => site.close());
beforeEach(resetDatabase);

const bySlug = async (slug: string) => (await getDb().select().from(posts).where(eq(posts.slug, slug)))[0];
const fromGhost = (name: string, options = {}) => importFixture(`ghost/${name}`, site.url, { siteUrl: site.url, ...options });

describe('a Ghost export', () => {
  it('becomes posts and pages with their authors, tags, images, SEO fields and statuses', async () => {
    const report = await fromGhost('site.json');
    expect(report.totals).toMatchObject({ posts: { created: 7 }, pages: { created: 2 }, users: { created: 2 }, tags: { created: 2 } });

    const published = await bySlug('orchard-ghost-published');
    expect(published).toMatchObject({ status: 'published', description: 'The pear harvest, in pictures.', heroImageAlt: 'A pear on a branch' });
    expect(published.publishAt?.toISOString()).toBe('2024-01-25T10:00:00.000Z');
    // The feature image came from the old site, like the body's.
    expect(published.heroImage).toMatch(/^\/media\/[0-9a-f-]{36}\/48x32\/pear\.jpg$/);
    expect(published.extra).toMatchObject({
      featureImageCaption: expect.any(String),
      ghost: { meta_title: 'Pear harvest | Orchard', og_title: 'Pears (OG)', twitter_title: 'Pears (Twitter)', canonical_url: 'https://elsewhere.example/pears' },
      visibility: 'public',
    });
    // Every author in posts_authors' order, the first the primary; Ghost's `featured` kept.
    const [primary] = await getDb().select({ name: users.name }).from(users).where(eq(users.id, published.authorId));
    expect(primary.name).toBe('Second Scribe');
    const article = await getPublicPost('orchard-ghost-published');
    expect(article?.authors.map((author) => author.name)).toEqual(['Second Scribe', 'Pear Keeper']);
    expect(published.featured).toBe(true);
    expect((await bySlug('orchard-ghost-draft')).featured).toBe(false);
    // Body: image card with caption, gallery, footnote, code with language, table.
    expect(published.html).toMatch(/<figure><img[^>]*alt="A ripe pear"[^>]*><figcaption>A ripe pear<\/figcaption><\/figure>/);
    expect(published.markdown).toMatch(/basket-one\.jpg[\s\S]*basket-two\.jpg/);
    expect(published.html).toContain('data-footnotes');
    expect(published.html).toMatch(/<code class="[^"]*language-javascript/);
    expect(published.html).toContain('<td>Conference</td>');

    // Internal #tags are kept on the post but never become a public tag.
    expect(published.extra.internalTags).toEqual(['#hidden-tag']);
    expect((await getDb().select({ slug: tags.slug }).from(tags)).map((tag) => tag.slug).sort()).toEqual(['pears', 'recipes']);
    expect((await getPublicPost('orchard-ghost-published'))?.tags.map((tag) => tag.slug)).toEqual(['pears', 'recipes']);
    expect((await listPublicPostsByTag('pears', { limit: 10 })).items.map((post) => post.slug)).toContain('orchard-ghost-published');

    expect(await bySlug('orchard-ghost-scheduled')).toMatchObject({ status: 'scheduled', publishAt: new Date('2030-05-01T08:00:00Z') });
    expect(await bySlug('orchard-ghost-draft')).toMatchObject({ status: 'draft' });
    // Members-only and email-only posts are not made public here.
    expect(await bySlug('orchard-ghost-members')).toMatchObject({ status: 'draft', extra: expect.objectContaining({ visibility: 'members' }) });
    expect(await bySlug('orchard-ghost-newsletter')).toMatchObject({ status: 'draft' });
    // Code injection never runs here, and the report says it was dropped.
    const injected = await bySlug('orchard-ghost-codeinjection');
    expect(injected.html).not.toContain('<script');
    const line = report.entries.find((entry) => entry.path === '/posts/orchard-ghost-codeinjection');
    expect(line?.problems.join(' ')).toMatch(/code injection/);
    expect(await bySlug('orchard-ghost-about')).toMatchObject({ kind: 'page', status: 'published' });
  });

  it('answers Ghost’s old addresses and brings its navigation', async () => {
    await fromGhost('site.json');
    for (const [from, to] of [
      ['/orchard-ghost-published/', '/posts/orchard-ghost-published'],
      ['/tag/orchard-pears/', '/tags/pears'],
      ['/author/pear-keeper/', '/authors/pear-keeper'],
      ['/rss/', '/feed.xml'],
    ]) {
      expect(await findRedirect(from), from).toEqual({ to, status: 301 });
    }
    // The page keeps its address: nothing to redirect.
    expect(await findRedirect('/orchard-ghost-about/')).toBeNull();
    expect(await findRedirect('/orchard-ghost-draft/')).toBeNull();
    const menu = await getDb()
      .select({ menu: navigationItems.menu, label: navigationItems.label, url: navigationItems.url })
      .from(navigationItems)
      .orderBy(navigationItems.menu, navigationItems.position);
    expect(menu).toEqual([
      { menu: 'primary', label: 'Home', url: '/' },
      { menu: 'primary', label: 'About', url: '/orchard-ghost-about' },
      { menu: 'footer', label: 'Data & privacy', url: '/privacy' },
      { menu: 'footer', label: 'Orchard contact', url: 'https://example.org/contact' },
    ]);
  });

  it('without the old site’s address, images stay where they were and the report says how to fetch them', async () => {
    const report = await importFixture('ghost/site.json', site.url);
    expect(report.totals.media.created).toBe(0);
    expect(report.remoteImages[0]?.reason).toMatch(/--site-url/);
  });

  it.each([
    ['malformed.json', /^line 7, column 99: expected ','/],
    ['wrong-shape.json', /^db\[0\]\.data\.posts\[1\]\.title: expected a string/],
    ['not-ghost.json', /^not a Ghost export: no db\[0\]\.data\.posts/],
  ])('%s names where it is wrong and imports nothing', async (name, message) => {
    const before = await importSnapshot();
    const error = await fromGhost(name).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect((error as Error).message).toMatch(message);
    expect(await importSnapshot()).toEqual(before);
  });
});

describe('the admin page’s import', () => {
  const upload = (text: string) => new Blob([text]).stream();

  it('only admins upload or run an export; a refusal stores and changes nothing', async () => {
    const admin = await insertUser('admin');
    const editor = await insertUser('editor');
    signInAs(editor);
    await expect(stageImport({ from: 'ghost', name: 'site.json', body: upload(fixtureText('ghost/site.json', site.url)) })).rejects.toBeInstanceOf(ForbiddenError);
    signInAs(admin);
    const { id } = await stageImport({ from: 'ghost', name: 'site.json', body: upload(fixtureText('ghost/site.json', site.url)) });
    signInAs(editor);
    const before = await importSnapshot();
    await expect(prepareStagedImport({ id, dryRun: false, media: true })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await importSnapshot()).toEqual(before);

    // Another admin cannot run someone else's upload; its uploader can, dry run first.
    signInAs(await insertUser('admin'));
    await expect(prepareStagedImport({ id, dryRun: true, media: true })).rejects.toThrow(/Unknown upload/);
    signInAs(admin);
    const progress: string[] = [];
    // As the route does: refusals come from preparing; the run itself streams its progress.
    const dry = await (await prepareStagedImport({ id, dryRun: true, media: false })).run((step) => progress.push(step.phase));
    expect(dry.totals.posts.created).toBe(7);
    expect(await bySlug('orchard-ghost-published')).toBeUndefined();
    const real = await (await prepareStagedImport({ id, dryRun: false, media: false })).run();
    expect(real.totals.posts.created).toBe(7);
    expect(progress).toContain('writing');
    expect(await bySlug('orchard-ghost-published')).toBeDefined();
    // It ran in a process of its own, in the admin's name.
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.action, 'import.run'));
    expect(entry.actorId).toBe(admin.id);
    // The staged file is gone once imported.
    await expect(prepareStagedImport({ id, dryRun: true, media: false })).rejects.toThrow(/Unknown upload/);
  });

  it('refuses a bad source, an empty file and an unknown upload id with a message', async () => {
    signInAs(await insertUser('admin'));
    await expect(stageImport({ from: 'medium', name: 'x', body: upload('{}') })).rejects.toThrow('Choose WordPress or Ghost.');
    await expect(stageImport({ from: 'ghost', name: 'x', body: upload('') })).rejects.toThrow('The file is empty.');
    await expect(prepareStagedImport({ id: 'not-a-uuid', dryRun: true, media: false })).rejects.toThrow(/Unknown upload/);
  });
});
