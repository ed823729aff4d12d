/**
 * Several authors per post where readers and machines see them (issue 18): RSS (one dc:creator
 * each), Atom (one <author> each), JSON Feed (`authors`), the article's JSON-LD and byline, and the
 * import format's `authors`, `featured` and `series`; plus who may feature.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Article } from '@/components/site/article';
import { parseContent } from '@/lib/content/frontmatter';
import { serializeContent } from '@/lib/content/serialize';
import { jsonFeedDocument } from '@/lib/feeds/json';
import { bylineText } from '@/lib/format';
import { atom, rss, type FeedChannel, type FeedEntry } from '@/lib/feeds/xml';
import { canChangePrimaryAuthor, canFeature } from '@/lib/posts/policy';
import type { PublicPost } from '@/lib/posts/queries';
import type { SiteSettings } from '@/lib/site/settings';
import { roles } from '@/db/schema';

const channel: FeedChannel = {
  title: 'Mag',
  description: 'A magazine',
  language: 'en',
  homeUrl: 'https://mag.example/',
  rssUrl: 'https://mag.example/feed.xml',
  atomUrl: 'https://mag.example/atom.xml',
  jsonUrl: 'https://mag.example/feed.json',
  updated: new Date('2024-01-25T00:00:00Z'),
};

const authors = [
  { name: 'Ann Primary', url: 'https://mag.example/authors/ann' },
  { name: 'Bo <Second>', url: 'https://mag.example/authors/bo' },
  { name: 'Cy Third', url: 'https://mag.example/authors/cy' },
];

const entry: FeedEntry = {
  url: 'https://mag.example/posts/together',
  title: 'Written together',
  summary: 'Three people',
  html: '<p>Body</p>',
  authors,
  published: new Date('2024-01-25T00:00:00Z'),
  updated: new Date('2024-01-26T00:00:00Z'),
  tags: [],
  image: null,
};

describe('feeds name every author, in byline order', () => {
  it('RSS: one dc:creator per author', () => {
    const xml = rss(channel, [entry]);
    expect([...xml.matchAll(/<dc:creator>([^<]*)<\/dc:creator>/g)].map((m) => m[1])).toEqual(['Ann Primary', 'Bo &lt;Second&gt;', 'Cy Third']);
  });

  it('Atom: one <author> with name and uri per author', () => {
    const xml = atom(channel, [entry]);
    expect([...xml.matchAll(/<author><name>([^<]*)<\/name><uri>([^<]*)<\/uri><\/author>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['Ann Primary', 'https://mag.example/authors/ann'],
      ['Bo &lt;Second&gt;', 'https://mag.example/authors/bo'],
      ['Cy Third', 'https://mag.example/authors/cy'],
    ]);
  });

  it('JSON Feed: `authors` with name and url each', () => {
    const feed = JSON.parse(jsonFeedDocument(channel, [entry])) as { items: { authors: unknown }[] };
    expect(feed.items[0].authors).toEqual(authors);
  });
});

describe('the article names every author', () => {
  const site = { title: 'Mag', url: 'https://mag.example', timeZone: 'UTC', defaultCta: '', description: '', locale: 'en', postsPerPage: 10 } as SiteSettings;
  const byline = [
    { name: 'Ann Primary', slug: 'ann' },
    { name: 'Bo Second', slug: 'bo' },
    { name: 'Cy Third', slug: 'cy' },
  ];
  const post: PublicPost = {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'post',
    slug: 'together',
    title: 'Written together',
    subtitle: '',
    description: '',
    excerpt: '',
    publishAt: new Date('2024-01-25T00:00:00Z'),
    readingMinutes: 3,
    heroImage: null,
    heroImageAlt: '',
    author: { ...byline[0], bio: '', avatarUrl: null },
    authors: byline,
    html: '<p>Body</p>',
    toc: [],
    cta: '',
    createdAt: new Date('2024-01-24T00:00:00Z'),
    updatedAt: new Date('2024-01-25T00:00:00Z'),
    tags: [],
  } as PublicPost;
  const html = renderToStaticMarkup(createElement(Article, { post, site }));

  it('JSON-LD: a Person per author, in order, each with their page', () => {
    const json = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1];
    const data = JSON.parse(json!) as { author: { '@type': string; name: string; url: string }[] };
    expect(data.author).toEqual(byline.map((author) => ({ '@type': 'Person', name: author.name, url: `https://mag.example/authors/${author.slug}` })));
  });

  it('JSON-LD: one author is one Person, as before co-authors', () => {
    const single = renderToStaticMarkup(createElement(Article, { post: { ...post, authors: [byline[0]] }, site }));
    const data = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(single)![1]) as { author: unknown };
    expect(data.author).toEqual({ '@type': 'Person', name: 'Ann Primary', url: 'https://mag.example/authors/ann' });
  });

  it("JSON-LD: the description, else the author's excerpt above <!--more-->, else the subtitle", () => {
    const described = (fields: Partial<PublicPost>) => {
      const markup = renderToStaticMarkup(createElement(Article, { post: { ...post, ...fields }, site }));
      return (JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(markup)![1]) as { description?: string }).description;
    };
    expect(described({ description: 'For search.', excerpt: 'The lead.', subtitle: 'A standfirst' })).toBe('For search.');
    expect(described({ excerpt: 'The lead.', subtitle: 'A standfirst' })).toBe('The lead.');
    expect(described({ subtitle: 'A standfirst' })).toBe('A standfirst');
  });

  it('the byline links each author: "Ann, Bo and Cy"', () => {
    const line = /<p class="byline">By ([\s\S]*?)<span/.exec(html)?.[1] ?? '';
    expect(line.replace(/<[^>]+>/g, '')).toBe('Ann Primary, Bo Second and Cy Third');
    for (const author of byline) expect(line).toContain(`href="/authors/${author.slug}"`);
  });

  it('has no script but the JSON-LD', () => {
    expect([...html.matchAll(/<script/g)]).toHaveLength(1);
  });
});

describe('the import format: authors, featured, series', () => {
  const doc = (lines: string[]) => `---\ntitle: "T"\n${lines.join('\n')}\nstatus: draft\n---\n\nBody\n`;

  it('reads the byline in order, the first primary; `author` alone is a byline of one', () => {
    expect(parseContent(doc(['authors: ["Ann", "Bo"]'])).authors).toEqual(['Ann', 'Bo']);
    expect(parseContent(doc(['author: "Ann"', 'authors: ["Ann", "Bo"]'])).author).toBe('Ann');
    expect(parseContent(doc(['author: "Ann"'])).authors).toEqual(['Ann']);
    expect(() => parseContent(doc(['author: "Bo"', 'authors: ["Ann", "Bo"]']))).toThrow(/must be the first of authors/);
    expect(() => parseContent(doc(['authors: ["Ann", "Ann"]']))).toThrow(/twice/);
    expect(() => parseContent(doc(['featured: true']))).toThrow(/author is missing/);
  });

  it('reads featured and a series name; another shape of series stays in extra', () => {
    const parsed = parseContent(doc(['author: "Ann"', 'featured: true', 'series: "The long road"']));
    expect(parsed).toMatchObject({ featured: true, series: 'The long road', extra: {} });
    expect(parseContent(doc(['author: "Ann"'])).featured).toBe(false);
    const foreign = parseContent(doc(['author: "Ann"', 'series: {name: "AI", part: 2}']));
    expect(foreign.series).toBeNull();
    expect(foreign.extra).toEqual({ series: { name: 'AI', part: 2 } });
  });

  it('writes them back so that an export re-imports the same', () => {
    const parsed = parseContent(doc(['authors: ["Ann", "Bo", "Cy"]', 'featured: true', 'series: "The long road"']));
    const again = parseContent(serializeContent(parsed));
    expect(again).toEqual(parsed);
    const plain = serializeContent(parseContent(doc(['author: "Ann"'])));
    expect(plain).not.toMatch(/authors:|featured:|series:/);
  });
});

describe('a byline as text (the newsletter’s “By …”)', () => {
  it('joins names with commas and a last "and"', () => {
    expect(bylineText(['Ann'])).toBe('Ann');
    expect(bylineText(['Ann', 'Bo'])).toBe('Ann and Bo');
    expect(bylineText(['Ann', 'Bo', 'Cy'])).toBe('Ann, Bo and Cy');
  });
});

describe('who may feature a post or change its primary author', () => {
  it('editors and admins only', () => {
    expect(roles.filter(canFeature)).toEqual(['editor', 'admin']);
    expect(roles.filter(canChangePrimaryAuthor)).toEqual(['editor', 'admin']);
  });
});
