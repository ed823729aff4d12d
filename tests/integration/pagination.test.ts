import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import type { Post, User } from '@/db/schema';
import { encodeCursor } from '@/lib/posts/cursor';
import { listPublicPosts, listPublicPostsByAuthor, listPublicPostsByTag, type ListOptions, type PostPage } from '@/lib/posts/queries';
import { resetDatabase } from '../support/db';
import { createPost, createUser } from '../support/factories';

beforeEach(async () => {
  await resetDatabase();
});

const BASE = Date.parse('2024-03-01T12:00:00.000Z');

/**
 * 25 public posts: publish times are distinct for some and shared by groups of 3 or 4 for
 * others, so the id tie-break decides the order within a group, and page boundaries (10, 20)
 * fall inside a group. Plus noise that must never appear: a draft and a future-scheduled post.
 */
async function arrange(author: User, opts: { tag?: string } = {}): Promise<Post[]> {
  const minutes = [0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 8, 9, 10, 11, 12, 13, 14, 14, 14, 15, 16, 16, 17, 18];
  const made: Post[] = [];
  for (const [i, m] of minutes.entries()) {
    made.push(
      await createPost({
        author,
        slug: `post-${String(i).padStart(2, '0')}`,
        status: i % 5 === 0 ? 'scheduled' : 'published',
        publishAt: new Date(BASE - m * 60_000),
        tags: opts.tag ? [opts.tag] : [],
      }),
    );
  }
  await createPost({ author, slug: 'noise-draft', status: 'draft', publishAt: new Date(BASE), tags: opts.tag ? [opts.tag] : [] });
  await createPost({ author, slug: 'noise-future', status: 'scheduled', publishAt: new Date(Date.now() + 86_400_000), tags: opts.tag ? [opts.tag] : [] });
  return made;
}

/** (publishAt desc, id desc), as the lists promise. */
function expectedOrder(made: Post[]): string[] {
  return [...made].sort((a, b) => b.publishAt!.getTime() - a.publishAt!.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((p) => p.slug);
}

async function walk(list: (options: ListOptions) => Promise<PostPage>, limit = 10) {
  const sizes: number[] = [];
  const slugs: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10; guard++) {
    const page = await list({ cursor, limit });
    sizes.push(page.items.length);
    slugs.push(...page.items.map((p) => p.slug));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { sizes, slugs };
}

describe('keyset pagination', () => {
  it('the home list visits all 25 posts exactly once, newest first, id breaking ties', async () => {
    const made = await arrange(await createUser());
    const { sizes, slugs } = await walk(listPublicPosts);
    expect(sizes).toEqual([10, 10, 5]);
    expect(slugs).toEqual(expectedOrder(made));
  });

  it('the tag list paginates the same way', async () => {
    const made = await arrange(await createUser(), { tag: 'Paged' });
    await createPost({ slug: 'other-tag', tags: ['Elsewhere'] });
    const { sizes, slugs } = await walk((o) => listPublicPostsByTag('paged', o));
    expect(sizes).toEqual([10, 10, 5]);
    expect(slugs).toEqual(expectedOrder(made));
  });

  it('the author list paginates the same way', async () => {
    const made = await arrange(await createUser({ name: 'Paula Pager' }));
    await createPost({ slug: 'someone-else' });
    const { sizes, slugs } = await walk((o) => listPublicPostsByAuthor('paula-pager', o));
    expect(sizes).toEqual([10, 10, 5]);
    expect(slugs).toEqual(expectedOrder(made));
  });

  it('an exact multiple of the page size ends without an empty page', async () => {
    const author = await createUser();
    for (let i = 0; i < 20; i++) await createPost({ author, slug: `p-${i}`, publishAt: new Date(BASE - i * 1000) });
    expect((await walk(listPublicPosts)).sizes).toEqual([10, 10]);
  });

  it('a garbage cursor gives page one', async () => {
    const made = await arrange(await createUser());
    const first = (await listPublicPosts({ limit: 10 })).items.map((p) => p.slug);
    expect(first).toEqual(expectedOrder(made).slice(0, 10));
    for (const cursor of ['garbage', '', '!!!', 'x'.repeat(5000), Buffer.from('2024-01-01|nope').toString('base64url')]) {
      expect(
        (await listPublicPosts({ cursor, limit: 10 })).items.map((p) => p.slug),
        cursor.slice(0, 20),
      ).toEqual(first);
    }
  });

  it('a cursor from a post that has since been unpublished still continues from its place', async () => {
    const made = await arrange(await createUser());
    const order = expectedOrder(made);
    const page1 = await listPublicPosts({ limit: 10 });
    await getDb().execute(sql`update posts set status = 'draft' where slug = ${order[9]}`);
    const page2 = await listPublicPosts({ cursor: page1.nextCursor, limit: 10 });
    expect(page2.items.map((p) => p.slug)).toEqual(order.slice(10, 20));
  });

  it('publish times with microseconds (set in SQL, e.g. now()) neither skip nor repeat posts', async () => {
    const author = await createUser();
    const made: Post[] = [];
    for (let i = 0; i < 25; i++) made.push(await createPost({ author, slug: `micro-${String(i).padStart(2, '0')}` }));
    // Two groups sharing one microsecond-precision time each, and some distinct sub-millisecond times.
    await getDb().execute(sql`
      update posts set publish_at = case
        when slug < 'micro-12' then timestamptz '2024-03-01 12:00:00.123456+00'
        when slug < 'micro-20' then timestamptz '2024-03-01 11:00:00.000001+00'
        else timestamptz '2024-03-01 10:00:00+00' + (right(slug, 2)::int * interval '1.000789 second')
      end`);
    const ids = await getDb().execute<{ slug: string }>(sql`
      select slug from posts order by publish_at desc, id desc`);
    const expected = ids.rows.map((r) => r.slug);
    const { slugs } = await walk(listPublicPosts);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs).toEqual(expected);
    expect(made).toHaveLength(25);
  });

  it('a cursor names the last post shown', async () => {
    const made = await arrange(await createUser());
    const order = expectedOrder(made);
    const last = made.find((p) => p.slug === order[9])!;
    const page1 = await listPublicPosts({ limit: 10 });
    expect(page1.nextCursor).toBe(encodeCursor({ at: last.publishAt!, id: last.id }));
  });
});
