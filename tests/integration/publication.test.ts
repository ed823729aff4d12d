/**
 * Publication features against a real PostgreSQL (issue 18): featured posts (editors and admins
 * only), several authors per post (ordered, the first primary and the owner for every rule), series
 * and related posts, and which cached pages a publish makes stale.
 */
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { postAuthors, posts, series } from '@/db/schema';
import { AuthError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { installPageCache } from '@/lib/cache/global';
import { PageCache, type CacheValue } from '@/lib/cache/page-cache';
import { getEditorPost, listEditorPosts } from '@/lib/posts/editor-queries';
import { publishPost, savePost, unpublishPost } from '@/lib/posts/mutations';
import { getPublicationChoices } from '@/lib/posts/publication-choices';
import { getPublicPost, listFeaturedPosts, listPublicPosts, listPublicPostsByAuthor } from '@/lib/posts/queries';
import { getSeriesList, listRelatedPosts } from '@/lib/posts/reading';
import { searchPublicPosts } from '@/lib/posts/search';
import { getPublicAuthor } from '@/lib/users/queries';
import { publishPostAction } from '@/app/editor/posts/[id]/actions';
import { fieldsOf, insertCast, insertPost, signInAs, snapshot, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(null);
});

const day = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * day);

async function byline(postId: string): Promise<string[]> {
  const rows = await getDb().select({ id: postAuthors.userId }).from(postAuthors).where(eq(postAuthors.postId, postId)).orderBy(asc(postAuthors.position));
  return rows.map((row) => row.id);
}

describe('featured posts', () => {
  it('editors and admins feature a post; the home page leads with it and does not repeat it below', async () => {
    const older = await insertPost({ author: cast.A, status: 'published', publishAt: daysAgo(5), title: 'Older story' });
    const newer = await insertPost({ author: cast.A, status: 'published', publishAt: daysAgo(1), title: 'Newer story' });
    signInAs(cast.E);
    await savePost({ id: older.id, baseVersion: older.version, fields: fieldsOf(older, { featured: true }), autosave: false });
    expect((await listFeaturedPosts()).map((post) => post.title)).toEqual(['Older story']);
    const home = await listPublicPosts({ cursor: null, limit: 10, exclude: [older.id] });
    expect(home.items.map((post) => post.id)).toEqual([newer.id]);
    signInAs(cast.Z);
    const again = await getEditorPost(older.id);
    await savePost({ id: older.id, baseVersion: again.version, fields: { ...again.fields, featured: false }, autosave: false });
    expect(await listFeaturedPosts()).toEqual([]);
  });

  it('refuses an author or a contributor who features (or unfeatures) a post, even their own, and changes nothing', async () => {
    const own = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.A);
    const before = await snapshot();
    await expect(savePost({ id: own.id, baseVersion: own.version, fields: fieldsOf(own, { featured: true }), autosave: false })).rejects.toThrow(ForbiddenError);
    const contributed = await insertPost({ author: cast.C, status: 'draft' });
    const withContributed = await snapshot();
    signInAs(cast.C);
    await expect(savePost({ id: contributed.id, baseVersion: 1, fields: fieldsOf(contributed, { featured: true }), autosave: true })).rejects.toThrow(
      /not allowed to feature/,
    );
    expect(await snapshot()).toEqual(withContributed);
    expect(before).not.toEqual(withContributed);
    // An editor's choice stays when the author saves their text (the field unchanged is no change).
    await getDb().update(posts).set({ featured: true }).where(eq(posts.id, own.id));
    signInAs(cast.A);
    const loaded = await getEditorPost(own.id);
    expect(loaded.fields.featured).toBe(true);
    await savePost({ id: own.id, baseVersion: loaded.version, fields: { ...loaded.fields, markdown: 'New words.' }, autosave: false });
    await expect(savePost({ id: own.id, baseVersion: loaded.version + 1, fields: { ...loaded.fields, featured: false }, autosave: false })).rejects.toThrow(
      ForbiddenError,
    );
    const [row] = await getDb().select({ featured: posts.featured }).from(posts).where(eq(posts.id, own.id));
    expect(row.featured).toBe(true);
  });

  it('the publication choices say who may feature and change the primary author', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.A);
    const forAuthor = await getPublicationChoices(post.id);
    expect(forAuthor).toMatchObject({ canFeature: false, canChangePrimary: false });
    // Disabled accounts are not offered (unless already named).
    expect(forAuthor.people.map((person) => person.name)).not.toContain(cast.D.name);
    expect(forAuthor.people.map((person) => person.name)).toContain(cast.C.name);
    signInAs(cast.E);
    expect(await getPublicationChoices(post.id)).toMatchObject({ canFeature: true, canChangePrimary: true });
    signInAs(cast.A2);
    await expect(getPublicationChoices(post.id)).rejects.toThrow(NotFoundError);
    signInAs(null);
    await expect(getPublicationChoices(post.id)).rejects.toThrow(AuthError);
  });
});

describe('several authors per post', () => {
  it('keeps the byline in order, the first as posts.author_id, in one write; every author’s page lists the post', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft', title: 'Written together' });
    expect(await byline(post.id)).toEqual([cast.A.id]);
    signInAs(cast.A);
    const saved = await publishPost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { authors: [cast.A.id, cast.C.id, cast.A2.id] }) });
    expect(saved.post.fields.authors).toEqual([cast.A.id, cast.C.id, cast.A2.id]);
    expect(await byline(post.id)).toEqual([cast.A.id, cast.C.id, cast.A2.id]);
    const article = await getPublicPost((await getEditorPost(post.id)).slug);
    expect(article?.authors.map((author) => author.name)).toEqual([cast.A.name, cast.C.name, cast.A2.name]);
    expect(article?.author.name).toBe(cast.A.name);
    const [hit] = (await searchPublicPosts('written together', 1)).hits;
    expect(hit.authors.map((author) => author.name)).toEqual([cast.A.name, cast.C.name, cast.A2.name]);
    for (const person of [cast.A, cast.C, cast.A2]) {
      expect((await listPublicPostsByAuthor(person.slug, { limit: 10 })).items.map((item) => item.title)).toEqual(['Written together']);
      expect(await getPublicAuthor(person.slug)).not.toBeNull();
    }
    // Reordered co-authors, one removed: the author page of the removed one no longer lists it.
    await savePost({ id: post.id, baseVersion: saved.post.version, fields: { ...saved.post.fields, authors: [cast.A.id, cast.A2.id] }, autosave: false });
    expect(await byline(post.id)).toEqual([cast.A.id, cast.A2.id]);
    expect((await listPublicPostsByAuthor(cast.C.slug, { limit: 10 })).items).toEqual([]);
    expect(await getPublicAuthor(cast.C.slug)).toBeNull();
  });

  it('an author page merges owned and co-written posts newest first, page by page', async () => {
    const titles: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      const mine = await insertPost({ author: cast.A, status: 'published', publishAt: daysAgo(10 - 2 * n), title: `Own ${n}` });
      const theirs = await insertPost({ author: cast.A2, status: 'published', publishAt: daysAgo(9 - 2 * n), title: `Shared ${n}` });
      await getDb().insert(postAuthors).values({ postId: theirs.id, userId: cast.A.id, position: 1 });
      titles.unshift(`Own ${n}`);
      titles.unshift(`Shared ${n}`);
      void mine;
    }
    const first = await listPublicPostsByAuthor(cast.A.slug, { limit: 4 });
    const second = await listPublicPostsByAuthor(cast.A.slug, { limit: 4, cursor: first.nextCursor });
    const third = await listPublicPostsByAuthor(cast.A.slug, { limit: 4, cursor: second.nextCursor });
    expect([...first.items, ...second.items, ...third.items].map((item) => item.title)).toEqual(titles);
    expect(third.nextCursor).toBeNull();
  });

  it('only editors and admins change the primary author; owners order co-authors after themselves', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.A);
    const before = await snapshot();
    await expect(savePost({ id: post.id, baseVersion: 1, fields: fieldsOf(post, { authors: [cast.C.id, cast.A.id] }), autosave: false })).rejects.toThrow(
      /primary author/,
    );
    await expect(
      savePost({ id: post.id, baseVersion: 1, fields: fieldsOf(post, { authors: [cast.A.id, '00000000-0000-4000-8000-000000000000'] }), autosave: false }),
    ).rejects.toThrow(ValidationError);
    expect(await snapshot()).toEqual(before);
    signInAs(cast.E);
    const moved = await savePost({ id: post.id, baseVersion: 1, fields: fieldsOf(post, { authors: [cast.C.id, cast.A.id] }), autosave: false });
    expect(moved.post.author.id).toBe(cast.C.id);
    expect(await byline(post.id)).toEqual([cast.C.id, cast.A.id]);
    const [row] = await getDb().select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, post.id));
    expect(row.authorId).toBe(cast.C.id);
  });

  it('a co-author contributor gains no right on the post: cannot see, edit or list another’s draft', async () => {
    const draft = await insertPost({ author: cast.A, status: 'draft', title: 'Ada’s draft' });
    signInAs(cast.A);
    await savePost({ id: draft.id, baseVersion: 1, fields: fieldsOf(draft, { authors: [cast.A.id, cast.C.id] }), autosave: false });
    expect(await byline(draft.id)).toEqual([cast.A.id, cast.C.id]);
    signInAs(cast.C);
    await expect(getEditorPost(draft.id)).rejects.toThrow(NotFoundError);
    const before = await snapshot();
    await expect(savePost({ id: draft.id, baseVersion: 2, fields: fieldsOf(draft, { markdown: 'Taken over.' }), autosave: false })).rejects.toThrow(NotFoundError);
    await expect(publishPost({ id: draft.id, baseVersion: 2, fields: fieldsOf(draft) })).rejects.toThrow(NotFoundError);
    await expect(getPublicationChoices(draft.id)).rejects.toThrow(NotFoundError);
    expect(await snapshot()).toEqual(before);
    expect((await listEditorPosts({ status: 'all', q: '', after: null })).items.map((item) => item.title)).not.toContain('Ada’s draft');
    // Once published, the co-author's page lists it, and still nothing more.
    signInAs(cast.A);
    await publishPost({ id: draft.id, baseVersion: 2, fields: fieldsOf(draft, { authors: [cast.A.id, cast.C.id] }) });
    expect((await listPublicPostsByAuthor(cast.C.slug, { limit: 10 })).items.map((item) => item.title)).toEqual(['Ada’s draft']);
    signInAs(cast.C);
    await expect(unpublishPost(draft.id)).rejects.toThrow(NotFoundError);
  });
});

describe('series', () => {
  it('lists a series’ published articles oldest first, the current one marked; a new name starts a series', async () => {
    const parts = [];
    for (const [n, ago] of [
      [1, 9],
      [2, 6],
      [3, 3],
    ] as const) {
      parts.push(await insertPost({ author: cast.A, status: 'published', publishAt: daysAgo(ago), title: `Part ${n}` }));
    }
    const draft = await insertPost({ author: cast.A, status: 'draft', title: 'Part 4 (draft)' });
    signInAs(cast.A);
    // Saved out of order: the list is by publish time, not by when each joined.
    for (const post of [parts[2], parts[0], parts[1], draft]) {
      await savePost({ id: post.id, baseVersion: 1, fields: fieldsOf(post, { series: 'The long road' }), autosave: false });
    }
    expect(await getDb().select({ name: series.name, slug: series.slug }).from(series)).toEqual([{ name: 'The long road', slug: 'the-long-road' }]);
    const list = await getSeriesList(parts[1].id);
    expect(list).toEqual({
      name: 'The long road',
      items: [
        { slug: parts[0].slug, title: 'Part 1', current: false },
        { slug: parts[1].slug, title: 'Part 2', current: true },
        { slug: parts[2].slug, title: 'Part 3', current: false },
      ],
    });
    // Leaving the series ('' is none).
    await savePost({ id: parts[2].id, baseVersion: 2, fields: fieldsOf(parts[2], { series: '' }), autosave: false });
    expect((await getSeriesList(parts[0].id))?.items.map((item) => item.title)).toEqual(['Part 1', 'Part 2']);
    expect(await getSeriesList(parts[2].id)).toBeNull();
  });
});

describe('related posts', () => {
  it('by shared tags, most shared first, then newest; three at most, never itself, public only', async () => {
    const post = await insertPost({ author: cast.A, status: 'published', tags: ['Rust', 'Databases', 'Testing'], title: 'Subject' });
    await insertPost({ author: cast.A, status: 'published', publishAt: daysAgo(20), tags: ['Rust', 'Databases', 'Testing'], title: 'Three shared, old' });
    await insertPost({ author: cast.A, status: 'published', publishAt: daysAgo(2), tags: ['Rust'], title: 'One shared, newest' });
    await insertPost({ author: cast.A, status: 'published', publishAt: daysAgo(5), tags: ['Rust', 'Testing'], title: 'Two shared' });
    await insertPost({ author: cast.A, status: 'published', publishAt: daysAgo(8), tags: ['Databases'], title: 'One shared, older' });
    await insertPost({ author: cast.A, status: 'draft', tags: ['Rust', 'Databases', 'Testing'], title: 'Draft' });
    await insertPost({ author: cast.A, status: 'scheduled', tags: ['Rust', 'Databases', 'Testing'], title: 'Not yet' });
    await insertPost({ author: cast.A, status: 'published', tags: ['Cooking'], title: 'Unrelated' });
    expect((await listRelatedPosts(post.id)).map((related) => related.title)).toEqual(['Three shared, old', 'Two shared', 'One shared, newest']);
  });
});

describe('a publish makes stale the other pages that show the post', () => {
  const value = (tags: string): CacheValue => ({ kind: 'APP_PAGE', headers: { 'x-next-cache-tags': tags } });
  const article = (slug: string) => value(`_N_T_/layout,_N_T_/(site)/layout,_N_T_/(site)/posts/[slug]/layout,_N_T_/(site)/posts/[slug]/page,_N_T_/posts/${slug}`);
  let cache: PageCache;
  beforeEach(() => {
    cache = new PageCache({ memoryBytes: 1e7, diskBytes: 0, diskDir: null }, Date.now() - 60_000);
    installPageCache(cache);
  });
  afterEach(() => installPageCache(null));

  it('its series’ other articles, articles sharing its tags, its authors’ pages; not unrelated articles', async () => {
    const sibling = await insertPost({ author: cast.A2, status: 'published', tags: ['Gardening'], title: 'Part 1' });
    const cousin = await insertPost({ author: cast.A2, status: 'published', tags: ['Soil'], title: 'Shares a tag' });
    const stranger = await insertPost({ author: cast.A2, status: 'published', tags: ['Cooking'], title: 'Unrelated' });
    signInAs(cast.E);
    await savePost({ id: sibling.id, baseVersion: 1, fields: fieldsOf(sibling, { tags: ['Gardening'], series: 'Seasons' }), autosave: false });
    const draft = await insertPost({ author: cast.A, status: 'draft', tags: ['Soil'], title: 'Part 2' });

    const then = Date.now() - 1_000;
    const entries = {
      sibling: cache.set(`/posts/${sibling.slug}`, article(sibling.slug), undefined, then),
      cousin: cache.set(`/posts/${cousin.slug}`, article(cousin.slug), undefined, then),
      stranger: cache.set(`/posts/${stranger.slug}`, article(stranger.slug), undefined, then),
      coAuthorPage: cache.set(`/authors/${cast.C.slug}`, value(`_N_T_/layout,_N_T_/(site)/authors/[slug]/page,_N_T_/authors/${cast.C.slug}`), undefined, then),
    };
    const result = await publishPostAction({
      id: draft.id,
      baseVersion: 1,
      fields: fieldsOf(draft, { tags: ['Soil'], series: 'Seasons', authors: [cast.A.id, cast.C.id] }),
    });
    expect(result.ok).toBe(true);
    expect(cache.isFresh(entries.sibling)).toBe(false);
    expect(cache.isFresh(entries.cousin)).toBe(false);
    expect(cache.isFresh(entries.coAuthorPage)).toBe(false);
    expect(cache.isFresh(entries.stranger)).toBe(true);
    // And what they render now shows it.
    expect((await getSeriesList(sibling.id))?.items.map((item) => item.title)).toEqual(['Part 1', 'Part 2']);
    expect((await listRelatedPosts(cousin.id)).map((related) => related.title)).toEqual(['Part 2']);
  });

  it('leaving a series refreshes the series it left', async () => {
    const first = await insertPost({ author: cast.A, status: 'published', tags: [], title: 'One' });
    const second = await insertPost({ author: cast.A, status: 'published', tags: [], title: 'Two' });
    signInAs(cast.A);
    await savePost({ id: first.id, baseVersion: 1, fields: fieldsOf(first, { tags: [], series: 'Pair' }), autosave: false });
    const joined = await publishPost({ id: second.id, baseVersion: 1, fields: fieldsOf(second, { tags: [], series: 'Pair' }) });
    expect(joined.publicPaths).toContain(`/posts/${first.slug}`);
    const left = await publishPost({ id: second.id, baseVersion: 2, fields: fieldsOf(second, { tags: [], series: '' }) });
    expect(left.publicPaths).toContain(`/posts/${first.slug}`);
    const unpublished = await unpublishPost(first.id);
    expect(unpublished.publicPaths).not.toContain(`/posts/${second.slug}`);
  });
});
