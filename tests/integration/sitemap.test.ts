/**
 * The sitemap of a large site: an index of files (the protocol allows 50,000 URLs a file, and one
 * huge cached body is what ran the server out of memory at 89,000 posts), every URL in exactly one.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sitemapPagePath, sitemapPageXml, sitemapXml } from '@/lib/feeds/sitemap';
import { resetDatabase } from '../support/db';
import { createPost, createUser } from '../support/factories';

beforeEach(async () => {
  await resetDatabase();
});

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => match[1]);

describe('the sitemap', () => {
  it('is one urlset on a small site, with no numbered files', async () => {
    const author = await createUser({ name: 'Small Site' });
    await createPost({ author, slug: 'only-post', tags: ['Garden'] });
    const xml = await sitemapXml();
    expect(xml).toContain('<urlset');
    expect(
      locs(xml)
        .map((loc) => new URL(loc).pathname)
        .sort(),
    ).toEqual(['/', '/authors/small-site', '/posts/only-post', '/tags/garden']);
    expect(await sitemapPageXml(1)).toBeNull();
  });

  it('becomes an index of files past the page size, each URL in exactly one file, none public-only missing', async () => {
    const author = await createUser({ name: 'Big Site' });
    for (let i = 0; i < 7; i += 1) await createPost({ author, slug: `post-${i}`, tags: [`Tag ${i % 2}`], publishedDaysAgo: i + 1 });
    await createPost({ author, slug: 'a-draft', status: 'draft' });
    const everything = locs(await sitemapXml({ pageSize: 100 }));
    expect(everything).toHaveLength(1 + 7 + 2 + 1); // home, posts, tags, author

    const index = await sitemapXml({ pageSize: 4 });
    expect(index).toContain('<sitemapindex');
    const files = locs(index).map((loc) => new URL(loc).pathname);
    expect(files).toEqual([1, 2, 3].map(sitemapPagePath));
    expect(index.match(/<lastmod>/g)).toHaveLength(3);

    const listed: string[] = [];
    for (let n = 1; n <= 3; n += 1) {
      const page = await sitemapPageXml(n, { pageSize: 4 });
      expect(page).toContain('<urlset');
      listed.push(...locs(page!));
    }
    expect(listed).toEqual(everything);
    expect(listed.some((loc) => loc.endsWith('/posts/a-draft'))).toBe(false);
    expect(await sitemapPageXml(4, { pageSize: 4 })).toBeNull();
    expect(await sitemapPageXml(0, { pageSize: 4 })).toBeNull();
  });
});
