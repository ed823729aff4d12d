import { beforeEach, describe, expect, it } from 'vitest';
import { searchPublicPosts, SEARCH_PAGE_SIZE, snippetLocator } from '@/lib/posts/search';
import { resetDatabase } from '../support/db';
import { createPost, createUser } from '../support/factories';

beforeEach(async () => {
  await resetDatabase();
});

const slugsOf = async (query: string, page = 1) => (await searchPublicPosts(query, page)).hits.map((h) => h.slug);

describe('full-text search', () => {
  it('ranks a title match above a subtitle match above a body-only match', async () => {
    const author = await createUser();
    // The body-only post is the newest, so recency cannot explain the order.
    await createPost({ author, slug: 'body-only', title: 'Notes from the lab', markdown: 'We tried a photonic lattice once.\n', publishedDaysAgo: 1 });
    await createPost({
      author,
      slug: 'in-subtitle',
      title: 'A long week',
      subtitle: 'On the photonic frontier',
      markdown: 'Nothing to see.\n',
      publishedDaysAgo: 2,
    });
    await createPost({ author, slug: 'in-title', title: 'Photonic computing arrives', markdown: 'Nothing to see here either.\n', publishedDaysAgo: 3 });
    await createPost({ author, slug: 'unrelated', title: 'Gardening', markdown: 'Tomatoes and basil.\n' });
    expect(await slugsOf('photonic')).toEqual(['in-title', 'in-subtitle', 'body-only']);
  });

  it('matches stems: "networks" finds "network" and "networking"', async () => {
    await createPost({ slug: 'singular', markdown: 'A network of sensors.\n' });
    await createPost({ slug: 'gerund', markdown: 'Networking at scale.\n' });
    expect((await slugsOf('networks')).sort()).toEqual(['gerund', 'singular']);
  });

  it('understands websearch syntax: quoted phrases, -exclusions and or', async () => {
    const author = await createUser();
    await createPost({ author, slug: 'phrase', markdown: 'We built quantum networks across the city.\n' });
    await createPost({ author, slug: 'apart', markdown: 'Networks are hard; quantum is harder.\n' });
    await createPost({ author, slug: 'classical', markdown: 'Quantum versus classical computing.\n' });
    await createPost({ author, slug: 'zebra', markdown: 'A zebra crossing.\n' });

    expect(await slugsOf('"quantum networks"')).toEqual(['phrase']);
    expect((await slugsOf('quantum networks')).sort()).toEqual(['apart', 'phrase']);
    expect((await slugsOf('quantum -classical')).sort()).toEqual(['apart', 'phrase']);
    expect((await slugsOf('zebra or classical')).sort()).toEqual(['classical', 'zebra']);
    expect(await slugsOf('zebra classical')).toEqual([]);
  });

  it('returns hit metadata and a snippet with the term highlighted', async () => {
    const author = await createUser({ name: 'Sam Snippet' });
    await createPost({
      author,
      slug: 'snippet-post',
      title: 'A title without the word',
      description: 'A short description.',
      markdown: 'Some words before. The **superconductor** was [cooled](https://example.com/cold) slowly. Words after.\n',
      readTimeOverride: 7,
    });
    const { hits, page, hasNext } = await searchPublicPosts('superconductor', 1);
    expect(page).toBe(1);
    expect(hasNext).toBe(false);
    expect(hits).toHaveLength(1);
    const [hit] = hits;
    expect(hit).toMatchObject({ slug: 'snippet-post', title: 'A title without the word', readingMinutes: 7, author: { name: 'Sam Snippet' } });
    expect(hit.publishAt).toBeInstanceOf(Date);
    expect(hit.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase())).toContain('superconductor');
    const text = hit.snippet.map((p) => p.text).join('');
    expect(text).not.toMatch(/\*\*|\]\(|https?:|[\u0002\u0003]/);
    expect(text).toContain('cooled');
  });

  it('pages 25 matches as 10, 10, 5 with no duplicates', async () => {
    const author = await createUser();
    for (let i = 0; i < 25; i++) {
      await createPost({ author, slug: `match-${String(i).padStart(2, '0')}`, markdown: `Entry ${i} on heliophysics.\n`, publishedDaysAgo: 1 + (i % 4) });
    }
    await createPost({ author, slug: 'draft-match', status: 'draft', markdown: 'heliophysics draft\n' });
    const pages = [];
    for (let page = 1; page <= 4; page++) pages.push(await searchPublicPosts('heliophysics', page));
    expect(pages.map((p) => p.hits.length)).toEqual([SEARCH_PAGE_SIZE, SEARCH_PAGE_SIZE, 5, 0]);
    expect(pages.map((p) => p.hasNext)).toEqual([true, true, false, false]);
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4]);
    const all = pages.flatMap((p) => p.hits.map((h) => h.slug));
    expect(new Set(all).size).toBe(25);
    expect(all).not.toContain('draft-match');
  });

  it('an empty, blank or stop-word-only query returns no hits without error', async () => {
    await createPost({ slug: 'anything', markdown: 'The and of a.\n' });
    for (const query of ['', '   ', '\t\n', 'the', '-', '""', 'or']) {
      const result = await searchPublicPosts(query, 1);
      expect(result.hits, JSON.stringify(query)).toEqual([]);
      expect(result.hasNext).toBe(false);
    }
  });

  it('a query with a NUL character (/search?q=%00) returns normally', async () => {
    // searchParamsSchema lets U+0000 through (it is not whitespace), so the page passes it on.
    await createPost({ slug: 'victim', markdown: 'Drop the table.\n' });
    await expect(searchPublicPosts('table\u0000', 1)).resolves.toMatchObject({ page: 1, hits: expect.any(Array) });
    await expect(searchPublicPosts('\u0000', 1)).resolves.toMatchObject({ page: 1, hits: expect.any(Array) });
  });

  it('hostile queries are just text', async () => {
    await createPost({ slug: 'victim', markdown: 'Drop the table.\n' });
    for (const query of [
      "'); drop table posts; --",
      '<script>alert(1)</script>',
      '\u0002\u0003',
      '日本語 ✓ 🎉 Ünïcödé',
      '!!! &&& ||| ::: *:* ()',
      'a'.repeat(1000),
      '\\\' \\" `',
    ]) {
      const result = await searchPublicPosts(query, 1);
      expect(Array.isArray(result.hits), query).toBe(true);
    }
    // The table is still there and searchable.
    expect(await slugsOf('table')).toEqual(['victim']);
  });

  it('snippets read as prose: a match inside a link or an image keeps its words, not the markdown around them', async () => {
    await createPost({
      slug: 'linked',
      title: 'Reading list',
      markdown: '![A quasar over the bay](https://example.com/q.png)\n\nSee [the quasar survey](https://example.com/survey) for **more**.\n',
    });
    const { hits } = await searchPublicPosts('quasar', 1);
    const text = hits[0].snippet.map((part) => part.text).join('');
    expect(text).toContain('quasar survey');
    expect(text).not.toMatch(/!\[|\]\(|https?:|\*\*/);
    expect(hits[0].snippet.some((part) => part.hit && /quasar/i.test(part.text))).toBe(true);
  });

  it('highlights a match deep in a long body, not just the first lines', async () => {
    const filler = 'Plain words about nothing in particular fill this paragraph. '.repeat(400); // ~24,000 characters
    await createPost({ slug: 'deep-match', title: 'A long essay', markdown: `${filler}\n\nAt last the bathyscaphe descended.\n\n${filler}\n` });
    const { hits } = await searchPublicPosts('bathyscaphe', 1);
    expect(hits.map((hit) => hit.slug)).toEqual(['deep-match']);
    expect(hits[0].snippet.some((part) => part.hit && /bathyscaphe/i.test(part.text))).toBe(true);
  });

  it('ranks only the newest matches of a very common word, and still pages them', async () => {
    const author = await createUser();
    // The oldest post is the best match by far; with only the two newest ranked it drops out.
    await createPost({ author, slug: 'old-best', title: 'Tessellation, tessellation', markdown: 'Tessellation tessellation tessellation.\n', publishedDaysAgo: 30 });
    await createPost({ author, slug: 'newer', markdown: 'One tessellation.\n', publishedDaysAgo: 2 });
    await createPost({ author, slug: 'newest', markdown: 'Another tessellation here.\n', publishedDaysAgo: 1 });
    expect((await searchPublicPosts('tessellation', 1)).hits[0].slug).toBe('old-best');
    const capped = await searchPublicPosts('tessellation', 1, { candidates: 2 });
    expect(capped.hits.map((hit) => hit.slug).sort()).toEqual(['newer', 'newest']);
  });
});

describe('snippetLocator', () => {
  it('picks the longest required word, shortened to its likely stem', () => {
    expect(snippetLocator('networks')).toBe('networ');
    expect(snippetLocator('quantum -classical networking')).toBe('networki');
    expect(snippetLocator('"winter festival"')).toBe('festiv');
    expect(snippetLocator('zebra or cat')).toBe('zeb');
    expect(snippetLocator('a an -excluded')).toBe('');
    expect(snippetLocator('日本語の記事')).toBe('日本語の');
  });
});
