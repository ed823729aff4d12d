import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { slugRedirects, type Post, type PostStatus } from '@/db/schema';
import {
  getPublicPost,
  getRedirectedSlug,
  listFeedPosts,
  listPublicPosts,
  listPublicPostsByAuthor,
  listPublicPostsByTag,
  listSitemapEntries,
} from '@/lib/posts/queries';
import { searchPublicPosts } from '@/lib/posts/search';
import { isPublicAt } from '@/lib/posts/visibility';
import { getPublicTag } from '@/lib/tags/queries';
import { getPublicAuthor } from '@/lib/users/queries';
import { resetDatabase } from '../support/db';
import { createPost, createUser } from '../support/factories';

const WORD = 'zyzzogeton';
const HOUR = 3_600_000;

beforeEach(async () => {
  await resetDatabase();
});

type Case = { slug: string; status: PostStatus; publishAt: Date | null; isPublic: boolean };

async function arrange() {
  const author = await createUser({ name: 'Vera Visible' });
  const hidden = await createUser({ name: 'Harriet Hidden' });
  const now = Date.now();
  const cases: Case[] = [
    { slug: 'the-draft', status: 'draft', publishAt: null, isPublic: false },
    { slug: 'the-draft-with-a-past-date', status: 'draft', publishAt: new Date(now - 48 * HOUR), isPublic: false },
    { slug: 'in-review', status: 'review', publishAt: new Date(now - 48 * HOUR), isPublic: false },
    { slug: 'in-the-trash', status: 'trash', publishAt: new Date(now - 48 * HOUR), isPublic: false },
    { slug: 'scheduled-future', status: 'scheduled', publishAt: new Date(now + 48 * HOUR), isPublic: false },
    { slug: 'scheduled-past', status: 'scheduled', publishAt: new Date(now - 2 * HOUR), isPublic: true },
    { slug: 'published-past', status: 'published', publishAt: new Date(now - 3 * HOUR), isPublic: true },
    { slug: 'published-future', status: 'published', publishAt: new Date(now + 48 * HOUR), isPublic: false },
    { slug: 'published-without-date', status: 'published', publishAt: null, isPublic: false },
  ];
  const made: Post[] = [];
  for (const c of cases) {
    made.push(
      await createPost({
        slug: c.slug,
        title: `Case ${c.slug}`,
        markdown: `The ${WORD} appears in every case.\n`,
        status: c.status,
        publishAt: c.publishAt,
        author,
        tags: ['Shared'],
      }),
    );
  }
  // A tag and an author whose only posts are not public.
  await createPost({ slug: 'hidden-draft', status: 'draft', author: hidden, tags: ['Secret'], markdown: `${WORD} hidden.\n` });
  await createPost({
    slug: 'hidden-future',
    status: 'scheduled',
    publishAt: new Date(now + HOUR),
    author: hidden,
    tags: ['Secret'],
    markdown: `${WORD} hidden.\n`,
  });
  return { author, hidden, cases, made };
}

const PUBLIC = ['scheduled-past', 'published-past']; // newest first (2 h and 3 h ago)

describe('only public posts reach readers', () => {
  it('isPublicAt agrees with the arranged cases', async () => {
    const { cases } = await arrange();
    for (const c of cases) expect(isPublicAt(c), c.slug).toBe(c.isPublic);
  });

  it('listPublicPosts', async () => {
    await arrange();
    const page = await listPublicPosts({ limit: 50 });
    expect(page.items.map((p) => p.slug)).toEqual(PUBLIC);
    expect(page.nextCursor).toBeNull();
  });

  it('listPublicPostsByTag', async () => {
    await arrange();
    expect((await listPublicPostsByTag('shared', { limit: 50 })).items.map((p) => p.slug)).toEqual(PUBLIC);
    expect((await listPublicPostsByTag('secret', { limit: 50 })).items).toEqual([]);
  });

  it('listPublicPostsByAuthor', async () => {
    await arrange();
    expect((await listPublicPostsByAuthor('vera-visible', { limit: 50 })).items.map((p) => p.slug)).toEqual(PUBLIC);
    expect((await listPublicPostsByAuthor('harriet-hidden', { limit: 50 })).items).toEqual([]);
  });

  it('getPublicPost', async () => {
    const { cases } = await arrange();
    for (const c of cases) {
      const post = await getPublicPost(c.slug);
      expect(post === null ? 'hidden' : 'public', c.slug).toBe(c.isPublic ? 'public' : 'hidden');
    }
    const post = await getPublicPost('published-past');
    expect(post).toMatchObject({ slug: 'published-past', author: { name: 'Vera Visible', slug: 'vera-visible' }, tags: [{ name: 'Shared', slug: 'shared' }] });
    expect(post!.html).toContain(WORD);
    expect(await getPublicPost('hidden-draft')).toBeNull();
    expect(await getPublicPost('no-such-post')).toBeNull();
  });

  it('listFeedPosts', async () => {
    await arrange();
    const feed = await listFeedPosts(50);
    expect(feed.map((p) => p.slug)).toEqual(PUBLIC);
    expect(feed[0].tags).toEqual(['Shared']);
  });

  it('listSitemapEntries', async () => {
    await arrange();
    const paths = (await listSitemapEntries()).map((e) => e.path);
    expect(paths).toEqual(['/authors/vera-visible', '/posts/published-past', '/posts/scheduled-past', '/tags/shared']);
  });

  it('searchPublicPosts', async () => {
    await arrange();
    const result = await searchPublicPosts(WORD, 1);
    expect(result.hits.map((h) => h.slug).sort()).toEqual([...PUBLIC].sort());
    expect(result.hasNext).toBe(false);
  });

  it('getRedirectedSlug only leads to public posts', async () => {
    const { made } = await arrange();
    const bySlug = Object.fromEntries(made.map((p) => [p.slug, p]));
    await getDb()
      .insert(slugRedirects)
      .values([
        { slug: 'old-public', postId: bySlug['published-past'].id },
        { slug: 'old-draft', postId: bySlug['the-draft'].id },
        { slug: 'old-future', postId: bySlug['scheduled-future'].id },
      ]);
    expect(await getRedirectedSlug('old-public')).toBe('published-past');
    expect(await getRedirectedSlug('old-draft')).toBeNull();
    expect(await getRedirectedSlug('old-future')).toBeNull();
    expect(await getRedirectedSlug('never-existed')).toBeNull();
  });

  it('getPublicTag and getPublicAuthor: a tag or author with only non-public posts does not exist', async () => {
    await arrange();
    expect(await getPublicTag('shared')).toMatchObject({ name: 'Shared', slug: 'shared' });
    expect(await getPublicTag('secret')).toBeNull();
    expect(await getPublicTag('nope')).toBeNull();
    expect(await getPublicAuthor('vera-visible')).toMatchObject({ name: 'Vera Visible', slug: 'vera-visible' });
    expect(await getPublicAuthor('harriet-hidden')).toBeNull();
    expect(await getPublicAuthor('nobody')).toBeNull();
  });
});

describe('hostile slugs', () => {
  it('a slug with a NUL character (/posts/%00) is simply not found', async () => {
    await arrange();
    // parseSlug('%00') in lib/params.ts gives '\u0000', which reaches these queries.
    expect(await getPublicPost('\u0000')).toBeNull();
    expect(await getPublicTag('shared\u0000')).toBeNull();
    expect(await getPublicAuthor('\u0000')).toBeNull();
    expect((await listPublicPostsByTag('\u0000', { limit: 10 })).items).toEqual([]);
    expect((await listPublicPostsByAuthor('\u0000', { limit: 10 })).items).toEqual([]);
  });
});

describe('scheduling', () => {
  it('a scheduled post goes live on time, with nothing else changing', async () => {
    const author = await createUser({ name: 'Tim Timer' });
    await createPost({
      slug: 'goes-live-soon',
      status: 'scheduled',
      publishAt: new Date(Date.now() + 1_500),
      author,
      tags: ['Soon'],
      markdown: `${WORD} soon.\n`,
    });
    expect(await getPublicPost('goes-live-soon')).toBeNull();
    expect((await listPublicPosts({ limit: 10 })).items).toEqual([]);
    expect(await getPublicTag('soon')).toBeNull();
    expect(await getPublicAuthor('tim-timer')).toBeNull();

    // Its time passes: the post is live on the next read (a poll, not a guess at how long that takes).
    await vi.waitFor(async () => expect(await getPublicPost('goes-live-soon')).not.toBeNull(), { timeout: 5_000, interval: 50 });
    expect((await listPublicPosts({ limit: 10 })).items.map((p) => p.slug)).toEqual(['goes-live-soon']);
    expect(await getPublicTag('soon')).not.toBeNull();
    expect(await getPublicAuthor('tim-timer')).not.toBeNull();
    expect((await searchPublicPosts(WORD, 1)).hits.map((h) => h.slug)).toEqual(['goes-live-soon']);
  });
});
