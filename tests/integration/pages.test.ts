/**
 * Pages (About, Contact: posts.kind = 'page') against a real PostgreSQL: readers find them only at
 * /<slug> and in the sitemap, never in a list, feed, tag or author page, search, or at /posts/<slug>;
 * they are public by the same rule as posts (to the second); their slugs keep clear of the site's own
 * routes; only editors and admins write them; a renamed one leaves a redirect; the editor's tabs
 * count each kind apart; audit entries name the kind.
 */
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, posts } from '@/db/schema';
import { createPostAction } from '@/app/editor/posts/new/actions';
import { savePostAction } from '@/app/editor/posts/[id]/actions';
import { listAudit } from '@/lib/audit/queries';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { getEditorPost, listEditorPosts, listRevisions } from '@/lib/posts/editor-queries';
import { createPost, deletePost, publishPost, savePost, schedulePost, trashPost } from '@/lib/posts/mutations';
import {
  getPostByPreviewToken,
  getPublicPage,
  getPublicPost,
  getRedirectedSlug,
  listFeedPosts,
  listPublicPosts,
  listPublicPostsByAuthor,
  listPublicPostsByTag,
  listSitemapEntries,
} from '@/lib/posts/queries';
import type { PostFields } from '@/lib/posts/schemas';
import { emptyFields } from '../support/fields';
import { searchPublicPosts } from '@/lib/posts/search';
import { getPublicTag } from '@/lib/tags/queries';
import { getPublicAuthor } from '@/lib/users/queries';
import { resetDatabase } from '../support/db';
import { getPostRow, insertCast, insertPost, insertUser, signInAs, sleep, snapshot, type Cast } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const WORD = 'quodlibet';
const HOUR = 3_600_000;
const RESERVED = "'search' is used by the site itself: choose another slug";

let cast: Cast;

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
});

const fields = (title: string, overrides: Partial<PostFields> = {}): PostFields => ({
  ...emptyFields(),
  title,
  markdown: `About the ${WORD}.\n`,
  ...overrides,
});

describe('a page for readers', () => {
  it('is at /<slug> and in the sitemap, and in no list, feed, tag or author page, search, or /posts/<slug>', async () => {
    const pageAuthor = await insertUser('editor', { name: 'Petra Pageonly' });
    await insertPost({
      author: pageAuthor,
      kind: 'page',
      status: 'published',
      slug: 'about-us',
      title: 'About us',
      markdown: `We are the ${WORD} people.\n`,
      tags: ['Alpha', 'Pageonly'],
    });
    const post = await insertPost({ author: cast.A, status: 'published', slug: 'a-real-post', markdown: `A ${WORD} post.\n`, tags: ['Alpha'] });

    expect((await getPublicPage('about-us'))?.title).toBe('About us');
    expect(await getPublicPage(post.slug)).toBeNull();
    expect(await getPublicPost('about-us')).toBeNull();

    const slugs = (items: { slug: string }[]) => items.map((item) => item.slug);
    expect(slugs((await listPublicPosts({ limit: 50 })).items)).toEqual([post.slug]);
    expect(slugs(await listFeedPosts(50))).toEqual([post.slug]);
    expect(slugs((await listPublicPostsByTag('alpha', { limit: 50 })).items)).toEqual([post.slug]);
    expect((await listPublicPostsByTag('pageonly', { limit: 50 })).items).toEqual([]);
    expect(await getPublicTag('pageonly')).toBeNull();
    expect((await listPublicPostsByAuthor(pageAuthor.slug, { limit: 50 })).items).toEqual([]);
    expect(await getPublicAuthor(pageAuthor.slug)).toBeNull();
    expect((await searchPublicPosts(WORD, 1)).hits.map((hit) => hit.slug)).toEqual([post.slug]);

    const paths = (await listSitemapEntries()).map((entry) => entry.path);
    expect(paths).toContain('/about-us');
    expect(paths).toContain(`/posts/${post.slug}`);
    expect(paths).not.toContain('/posts/about-us');
    expect(paths).not.toContain('/tags/pageonly');
    expect(paths).not.toContain(`/authors/${pageAuthor.slug}`);
  });

  it('is public by the same rule as a post: drafts, review, trash and future schedules hidden, a due schedule shown', async () => {
    const cases = [
      { slug: 'page-draft', status: 'draft', publishAt: null, visible: false },
      { slug: 'page-review', status: 'review', publishAt: new Date(Date.now() - HOUR), visible: false },
      { slug: 'page-trash', status: 'trash', publishAt: new Date(Date.now() - HOUR), visible: false },
      { slug: 'page-future', status: 'scheduled', publishAt: new Date(Date.now() + HOUR), visible: false },
      { slug: 'page-published-future', status: 'published', publishAt: new Date(Date.now() + HOUR), visible: false },
      { slug: 'page-due', status: 'scheduled', publishAt: new Date(Date.now() - HOUR), visible: true },
      { slug: 'page-live', status: 'published', publishAt: new Date(Date.now() - HOUR), visible: true },
    ] as const;
    for (const c of cases) await insertPost({ author: cast.E, kind: 'page', slug: c.slug, status: c.status, publishAt: c.publishAt });
    const sitemap = (await listSitemapEntries()).map((entry) => entry.path);
    for (const c of cases) {
      expect((await getPublicPage(c.slug)) !== null, c.slug).toBe(c.visible);
      expect(sitemap.includes(`/${c.slug}`), `${c.slug} in the sitemap`).toBe(c.visible);
    }
    expect(await getPublicPage('no-such-page')).toBeNull();
    expect(await getPublicPage('\u0000')).toBeNull();
  });

  it('scheduled 1.5 s ahead, is hidden until then and public from that moment, with no other write', async () => {
    signInAs(cast.E);
    const page = await createPost('page');
    const at = Date.now() + 1_500;
    const scheduled = await schedulePost({ id: page.id, baseVersion: page.version, fields: fields('Opening hours'), publishAt: new Date(at) });
    const slug = scheduled.post.slug;
    expect(slug).toBe('opening-hours');
    expect(await getPublicPage(slug)).toBeNull();
    await sleep(Math.max(0, at + 300 - Date.now()));
    let visible = false;
    for (let tries = 0; tries < 30 && !visible; tries += 1) {
      visible = (await getPublicPage(slug)) !== null;
      if (!visible) await sleep(100);
    }
    expect(visible).toBe(true);
    expect((await listPublicPosts({ limit: 50 })).items).toEqual([]);
    expect((await listSitemapEntries()).map((entry) => entry.path)).toContain(`/${slug}`);
  });

  it('renamed once published, leaves its old slug redirecting to the new one (as a page, not under /posts/)', async () => {
    signInAs(cast.E);
    const page = await createPost('page');
    const published = await publishPost({ id: page.id, baseVersion: page.version, fields: fields('Contact') });
    expect(published.post.slug).toBe('contact');
    const renamed = await savePost({
      id: page.id,
      baseVersion: published.post.version,
      fields: { ...published.post.fields, slug: 'contact-us' },
      autosave: false,
    });
    expect(renamed.post.slug).toBe('contact-us');
    // A page is announced at its own addresses and in the sitemap: not the home page, feeds or tags.
    expect([...renamed.publicPaths].sort()).toEqual(['/contact', '/contact-us', '/sitemap.xml']);
    expect(await getRedirectedSlug('contact', 'page')).toBe('contact-us');
    expect(await getRedirectedSlug('contact', 'post')).toBeNull();
    expect(await getRedirectedSlug('contact')).toBeNull();
    expect(await getPublicPage('contact')).toBeNull();
    expect((await getPublicPage('contact-us'))?.title).toBe('Contact');
  });

  it('a preview link shows a draft page as a page', async () => {
    const token = 'p'.repeat(43);
    await insertPost({ author: cast.E, kind: 'page', status: 'draft', slug: 'draft-page', previewToken: token });
    expect(await getPostByPreviewToken(token)).toMatchObject({ kind: 'page', slug: 'draft-page' });
  });
});

describe('writing a page', () => {
  it('an editor creates, publishes and deletes one: the kind is kept, audited, and only its own paths are announced', async () => {
    signInAs(cast.E);
    const created = await createPost('page');
    expect(created.kind).toBe('page');
    expect((await getPostRow(created.id))?.kind).toBe('page');
    const published = await publishPost({
      id: created.id,
      baseVersion: created.version,
      // A page keeps no tags, call to action or reading time, whatever the form sends.
      fields: fields('About the Gazette', { tags: ['Sneaky'], cta: 'Subscribe!', readTimeOverride: 9 }),
    });
    expect(published.post.kind).toBe('page');
    expect(published.post.fields).toMatchObject({ tags: [], cta: '', readTimeOverride: null });
    // Its address (and the draft's old one), the sitemap; never the home page, feeds or tags.
    expect(published.publicPaths).toEqual(expect.arrayContaining(['/about-the-gazette', '/sitemap.xml']));
    expect(published.publicPaths.filter((path) => path !== '/sitemap.xml' && !/^\/[a-z0-9-]+$/.test(path))).toEqual([]);
    expect((await listRevisions(created.id)).length).toBeGreaterThan(0);

    // The action's input has no kind: whatever is sent, the row stays a page.
    const again = await savePostAction({
      id: created.id,
      baseVersion: published.post.version,
      fields: { ...published.post.fields, kind: 'post' },
      autosave: false,
    });
    expect(again).toMatchObject({ ok: true, data: { kind: 'page' } });

    const trashed = await trashPost(created.id);
    expect([...trashed.publicPaths].sort()).toEqual(['/about-the-gazette', '/sitemap.xml']);
    await deletePost(created.id);

    const audits = await getDb()
      .select({ action: auditLog.action, targetType: auditLog.targetType })
      .from(auditLog)
      .where(eq(auditLog.targetId, created.id))
      .orderBy(auditLog.id);
    expect(audits).toEqual([
      { action: 'page.create', targetType: 'page' },
      { action: 'page.publish', targetType: 'page' },
      { action: 'page.trash', targetType: 'page' },
      { action: 'page.delete', targetType: 'page' },
    ]);
  });

  it('the audit log names a page by its title', async () => {
    signInAs(cast.Z);
    const created = await createPost('page');
    await publishPost({ id: created.id, baseVersion: created.version, fields: fields('Masthead') });
    const { entries } = await listAudit({ action: 'page.' });
    expect(entries.map((entry) => [entry.action, entry.targetType, entry.targetLabel])).toEqual([
      ['page.publish', 'page', 'Masthead'],
      ['page.create', 'page', 'Masthead'],
    ]);
  });

  it("refuses a slug the site uses itself ('search'), with its message, writing nothing", async () => {
    signInAs(cast.E);
    const page = await insertPost({ author: cast.E, kind: 'page', status: 'draft', slug: 'a-page' });
    const before = await snapshot();
    const error = await savePost({ id: page.id, baseVersion: 1, fields: fields('Search us', { slug: 'search' }), autosave: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ message: RESERVED, field: 'slug' });
    for (const slug of ['editor', 'tags', 'older', 'posts', 'sitemaps']) {
      await expect(publishPost({ id: page.id, baseVersion: 1, fields: fields('Reserved', { slug }) })).rejects.toThrow(
        `'${slug}' is used by the site itself: choose another slug`,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a reserved slug over the action too, and a post may still use it (/posts/search)', async () => {
    signInAs(cast.E);
    const page = await insertPost({ author: cast.E, kind: 'page', status: 'draft', slug: 'a-page' });
    const before = await snapshot();
    const answer = await savePostAction({ id: page.id, baseVersion: 1, fields: fields('Search us', { slug: 'search' }), autosave: false });
    expect(answer).toMatchObject({ ok: false, status: 422, error: RESERVED, field: 'slug' });
    expect(await snapshot()).toEqual(before);

    const post = await insertPost({ author: cast.E, status: 'draft', slug: 'a-post' });
    const saved = await savePost({ id: post.id, baseVersion: 1, fields: fields('Search', { slug: 'search' }), autosave: false });
    expect(saved.post.slug).toBe('search');
  });

  it('an automatic slug steps around reserved ones: a page titled "Search" becomes search-2, a post keeps "search"', async () => {
    signInAs(cast.E);
    const page = await createPost('page');
    const saved = await savePost({ id: page.id, baseVersion: page.version, fields: fields('Search'), autosave: true });
    expect(saved.post.slug).toBe('search-2');
    const post = await createPost('post');
    expect((await savePost({ id: post.id, baseVersion: post.version, fields: fields('Search'), autosave: true })).post.slug).toBe('search');
  });

  it('authors and contributors cannot create, see, edit, publish or delete a page, not even one naming them; nothing is written', async () => {
    const own = await insertPost({ author: cast.A, kind: 'page', status: 'draft', slug: 'authors-page' });
    const live = await insertPost({ author: cast.C, kind: 'page', status: 'published', slug: 'contributors-page' });
    const binned = await insertPost({ author: cast.A, kind: 'page', status: 'trash', slug: 'binned-page' });
    const before = await snapshot();
    for (const person of [cast.A, cast.C]) {
      signInAs(person);
      await expect(createPost('page')).rejects.toThrow(ForbiddenError);
      const form = new FormData();
      form.set('kind', 'page');
      expect(await createPostAction(null, form)).toMatchObject({ ok: false, status: 403, error: 'You are not allowed to write pages.' });
      await expect(listEditorPosts({ kind: 'page', status: 'all', q: '', after: null })).rejects.toThrow(ForbiddenError);
      for (const page of [own, live]) {
        await expect(getEditorPost(page.id)).rejects.toThrow(NotFoundError);
        await expect(savePost({ id: page.id, baseVersion: 1, fields: fields('Mine now'), autosave: false })).rejects.toThrow(NotFoundError);
        await expect(publishPost({ id: page.id, baseVersion: 1, fields: fields('Mine now') })).rejects.toThrow(NotFoundError);
        await expect(trashPost(page.id)).rejects.toThrow(NotFoundError);
      }
      await expect(deletePost(binned.id)).rejects.toThrow(NotFoundError);
      const answer = await savePostAction({ id: own.id, baseVersion: 1, fields: fields('Over HTTP'), autosave: false });
      expect(answer).toMatchObject({ ok: false, status: 404 });
    }
    expect(await snapshot()).toEqual(before);
    const pages = await getDb().select({ id: posts.id }).from(posts).where(eq(posts.kind, 'page'));
    expect(pages).toHaveLength(3);
  });
});

describe("the editor's tabs", () => {
  it('count and list each kind apart: the Posts tab counts posts only, the Pages tab pages only', async () => {
    const hour = HOUR;
    await insertPost({ author: cast.A, status: 'draft', title: 'Post draft' });
    await insertPost({ author: cast.A, status: 'published', title: 'Post live' });
    await insertPost({ author: cast.A2, status: 'trash', title: 'Post binned' });
    await insertPost({ author: cast.A, kind: 'page', status: 'draft', title: 'Page draft' });
    await insertPost({ author: cast.E, kind: 'page', status: 'published', title: 'Page live' });
    await insertPost({ author: cast.E, kind: 'page', status: 'scheduled', title: 'Page due', publishAt: new Date(Date.now() - hour) });
    await insertPost({ author: cast.E, kind: 'page', status: 'scheduled', title: 'Page later', publishAt: new Date(Date.now() + hour) });
    await insertPost({ author: cast.E, kind: 'page', status: 'review', title: 'Page review' });

    const all = { status: 'all' as const, q: '', after: null };
    signInAs(cast.E);
    const postsTab = await listEditorPosts({ ...all, kind: 'post' });
    expect(postsTab.counts).toEqual({ all: 2, draft: 1, review: 0, scheduled: 0, published: 1, trash: 1 });
    expect(postsTab.items.map((item) => item.title).sort()).toEqual(['Post draft', 'Post live']);
    // The default is the Posts tab.
    expect((await listEditorPosts(all)).counts).toEqual(postsTab.counts);

    const pagesTab = await listEditorPosts({ ...all, kind: 'page' });
    expect(pagesTab.counts).toEqual({ all: 5, draft: 1, review: 1, scheduled: 1, published: 2, trash: 0 });
    expect(pagesTab.items.map((item) => item.title).sort()).toEqual(['Page draft', 'Page due', 'Page later', 'Page live', 'Page review']);
    const published = await listEditorPosts({ ...all, kind: 'page', status: 'published' });
    expect(published.items.map((item) => item.title).sort()).toEqual(['Page due', 'Page live']);
    const searched = await listEditorPosts({ ...all, kind: 'page', q: 'draft' });
    expect(searched.items.map((item) => item.title)).toEqual(['Page draft']);
    expect(searched.counts.all).toBe(1);

    // An author's Posts tab counts their posts, not the page that names them.
    signInAs(cast.A);
    expect((await listEditorPosts(all)).counts).toEqual({ all: 2, draft: 1, review: 0, scheduled: 0, published: 1, trash: 0 });
  });
});
