import { describe, expect, it } from 'vitest';
import { oldAddresses, onSitePath, type Placed } from '@/lib/import/old-urls';
import type { SourceBundle, SourceEntry } from '@/lib/import/types';

const body = { markdown: '', images: [], dropped: [], shortcodes: [] };
const entry = (over: Partial<SourceEntry>): SourceEntry => ({
  sourceId: '1',
  kind: 'post',
  title: 'T',
  slug: 't',
  status: 'published',
  statusNotes: [],
  publishAt: new Date('2024-01-25T00:00:00Z'),
  createdAt: null,
  updatedAt: null,
  body,
  excerpt: '',
  authorIds: [],
  tagIds: [],
  featureImage: null,
  link: null,
  extra: {},
  commentCount: 0,
  ...over,
});

const bundle = (over: Partial<SourceBundle>): SourceBundle => ({
  source: 'wordpress',
  siteUrl: 'https://old.example/blog',
  users: [],
  tags: [],
  entries: [],
  navigation: [],
  warnings: [],
  ...over,
});

describe('onSitePath', () => {
  it('makes the old site’s addresses root-relative, inside a site that lives in a folder', () => {
    expect(onSitePath('https://old.example/blog/2024/01/25/first/', 'https://old.example/blog')).toBe('/2024/01/25/first/');
    expect(onSitePath('https://OLD.example/about/', 'https://old.example')).toBe('/about/');
    expect(onSitePath('__GHOST_URL__/about/', null)).toBe('/about/');
    expect(onSitePath('/archives/123', null)).toBe('/archives/123');
  });
  it('leaves other sites alone', () => {
    expect(onSitePath('https://elsewhere.example/about/', 'https://old.example')).toBeNull();
    expect(onSitePath('//old.example/x', 'https://old.example')).toBeNull();
    expect(onSitePath('not a url', 'https://old.example')).toBeNull();
  });
});

describe('oldAddresses', () => {
  const placed: Placed = {
    entries: new Map([
      ['10', { path: '/posts/first', public: true }],
      ['11', { path: '/about', public: true }],
      ['12', { path: '/posts/draft', public: false }],
    ]),
    tags: new Map([
      ['category:3', 'news'],
      ['tag:7', 'apples'],
    ]),
    users: new Map([['2', 'jo-lee']]),
  };

  it('answers every kind of old WordPress address, each once, never the new address itself', () => {
    const pairs = oldAddresses(
      bundle({
        entries: [
          entry({ sourceId: '10', link: 'https://old.example/blog/2024/01/25/first/' }),
          entry({ sourceId: '11', kind: 'page', slug: 'about', link: 'https://old.example/blog/about/' }),
          entry({ sourceId: '12', status: 'draft', link: 'https://old.example/blog/?p=12' }),
        ],
        tags: [
          { sourceId: 'category:3', slug: 'news', name: 'News', description: '', taxonomy: 'category', internal: false },
          { sourceId: 'tag:7', slug: 'apples', name: 'Apples', description: '', taxonomy: 'tag', internal: false },
        ],
        users: [{ sourceId: '2', email: null, name: 'Jo Lee', slug: 'jolee', bio: '', avatarUrl: null }],
      }),
      placed,
    );
    const map = Object.fromEntries(pairs.map((pair) => [pair.from, pair.to]));
    expect(map).toMatchObject({
      '/?p=10': '/posts/first',
      '/2024/01/25/first': '/posts/first',
      '/?p=11': '/about',
      '/?page_id=11': '/about',
      '/category/news': '/tags/news',
      '/?cat=3': '/tags/news',
      '/tag/apples': '/tags/apples',
      '/?tag=apples': '/tags/apples',
      '/author/jolee': '/authors/jo-lee',
      '/?author=2': '/authors/jo-lee',
      '/feed': '/feed.xml',
      '/comments/feed': '/feed.xml',
    });
    // The page already lives at /about; the draft was never public.
    expect(map['/about']).toBeUndefined();
    expect(map['/?p=12']).toBeUndefined();
    expect(new Set(pairs.map((pair) => pair.from)).size).toBe(pairs.length);
  });

  it('answers Ghost’s /slug/, /tag/x/, /author/x/ and /rss/', () => {
    const pairs = oldAddresses(
      bundle({
        source: 'ghost',
        siteUrl: null,
        entries: [entry({ sourceId: '10', slug: 'first' })],
        tags: [{ sourceId: 'tag:7', slug: 'apples', name: 'Apples', description: '', taxonomy: 'tag', internal: false }],
        users: [{ sourceId: '2', email: null, name: 'Jo Lee', slug: 'jo', bio: '', avatarUrl: null }],
      }),
      placed,
    );
    expect(Object.fromEntries(pairs.map((pair) => [pair.from, pair.to]))).toEqual({
      '/first': '/posts/first',
      '/tag/apples': '/tags/apples',
      '/author/jo': '/authors/jo-lee',
      '/rss': '/feed.xml',
    });
  });
});
