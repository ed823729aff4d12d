import { describe, expect, it } from 'vitest';
import { atom, escapeXml, rss, type FeedChannel, type FeedEntry } from '@/lib/feeds/xml';

const channel: FeedChannel = {
  title: 'Site & <Co>',
  description: 'About "things"',
  language: 'en',
  homeUrl: 'https://mag.example/',
  rssUrl: 'https://mag.example/feed.xml',
  atomUrl: 'https://mag.example/atom.xml',
  jsonUrl: 'https://mag.example/feed.json',
  updated: new Date('2024-01-25T00:00:00Z'),
};

const hostile = ']]> ]]><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>';
const entry: FeedEntry = {
  url: 'https://mag.example/posts/a',
  title: hostile,
  summary: '<img src=x onerror=alert(1)>',
  html: '<p>Body ]]> and ]]> again</p>',
  authors: [{ name: 'A "quoted" <author>', url: 'https://mag.example/authors/a' }],
  published: new Date('2024-01-25T00:00:00Z'),
  updated: new Date('2024-01-26T00:00:00Z'),
  tags: ['<b>tag</b>', 'x" onmouseover="alert(1)'],
  image: 'https://mag.example/media/x/1x1/a.png?a=1&b=2',
};

describe('feed XML', () => {
  for (const [name, xml] of [
    ['RSS', rss(channel, [entry])],
    ['Atom', atom(channel, [entry])],
  ] as const) {
    it(`${name}: hostile text stays text — no element, attribute or CDATA breakout`, () => {
      expect(xml).not.toMatch(/<svg|<img|<b>|CDATA|onload="|onerror=alert\(1\)>|onmouseover="/);
      expect(xml).toContain(escapeXml(hostile));
      // Every "<" in the document starts one of our own elements.
      const tags = [...xml.matchAll(/<\/?([a-zA-Z:?]+)/g)].map((m) => m[1]);
      const ours = new Set([
        '?xml',
        'rss',
        'channel',
        'title',
        'link',
        'description',
        'language',
        'lastBuildDate',
        'generator',
        'atom:link',
        'item',
        'guid',
        'pubDate',
        'dc:creator',
        'content:encoded',
        'category',
        'enclosure',
        'feed',
        'id',
        'subtitle',
        'updated',
        'entry',
        'published',
        'author',
        'name',
        'uri',
        'summary',
        'content',
      ]);
      expect(tags.filter((t) => !ours.has(t))).toEqual([]);
      expect(xml).toContain('a=1&amp;b=2');
    });
  }

  it('drops characters XML cannot carry and escapes the five specials', () => {
    expect(escapeXml('a\u0000b\u0008c\td\ne & < > " \'')).toBe('abc\td\ne &amp; &lt; &gt; &quot; &apos;');
    expect(escapeXml('\uD800 lone')).toBe(' lone');
    expect(escapeXml('emoji 😀 stays')).toBe('emoji 😀 stays');
  });
});
