/**
 * RSS 2.0 and Atom 1.0 written with one escaping rule for every text node and attribute. (The
 * `feed` package wrapped text in CDATA and split only the first `]]>`, so a title with two of them
 * could inject live SVG into the feed; it also left Atom attributes unescaped.) Titles are plain
 * text; summaries and post bodies are HTML (the summary HTML-escaped first), entity-escaped.
 */

// Characters XML 1.0 forbids outright (C0 controls except tab, newline, carriage return; lone surrogates; FFFE/FFFF).
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(value: string): string {
  return value.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const el = (name: string, text: string, attrs = '') => `<${name}${attrs}>${escapeXml(text)}</${name}>`;
const attr = (name: string, value: string) => ` ${name}="${escapeXml(value)}"`;

export type FeedChannel = {
  title: string;
  description: string;
  language: string;
  homeUrl: string;
  rssUrl: string;
  atomUrl: string;
  jsonUrl: string;
  updated: Date;
};

export type FeedEntry = {
  url: string;
  title: string;
  summary: string;
  html: string;
  /** Everyone in the byline, in order (the primary author first). */
  authors: { name: string; url: string }[];
  published: Date;
  updated: Date;
  tags: string[];
  /** Absolute image URL, or null when the post has none (or it is not a usable URL). */
  image: string | null;
};

function imageType(src: string): string {
  const ext = /\.(png|gif|webp|avif|jpe?g)(\?|$)/i.exec(src)?.[1]?.toLowerCase();
  return ext ? `image/${ext === 'jpg' ? 'jpeg' : ext}` : 'image/jpeg';
}

export function rss(channel: FeedChannel, entries: FeedEntry[]): string {
  const items = entries.map((entry) =>
    [
      '<item>',
      el('title', entry.title),
      el('link', entry.url),
      el('guid', entry.url, ' isPermaLink="true"'),
      el('pubDate', entry.published.toUTCString()),
      // One dc:creator per author (RSS's own <author> wants an email address).
      ...entry.authors.map((author) => el('dc:creator', author.name)),
      // Readers treat an RSS description as HTML: the plain-text summary is HTML-escaped first.
      entry.summary ? el('description', escapeXml(entry.summary)) : '',
      el('content:encoded', entry.html),
      ...entry.tags.map((tag) => el('category', tag)),
      entry.image ? `<enclosure${attr('url', entry.image)}${attr('type', imageType(entry.image))} length="0"/>` : '',
      '</item>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    el('title', channel.title),
    el('link', channel.homeUrl),
    el('description', channel.description),
    el('language', channel.language),
    el('lastBuildDate', channel.updated.toUTCString()),
    el('generator', 'Broadsheet'),
    `<atom:link${attr('href', channel.rssUrl)} rel="self" type="application/rss+xml"/>`,
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}

export function atom(channel: FeedChannel, entries: FeedEntry[]): string {
  const items = entries.map((entry) =>
    [
      '<entry>',
      el('id', entry.url),
      el('title', entry.title, ' type="text"'),
      `<link rel="alternate" type="text/html"${attr('href', entry.url)}/>`,
      el('published', entry.published.toISOString()),
      el('updated', entry.updated.toISOString()),
      ...entry.authors.map((author) => `<author>${el('name', author.name)}${el('uri', author.url)}</author>`),
      entry.summary ? el('summary', escapeXml(entry.summary), ' type="html"') : '',
      el('content', entry.html, ' type="html"'),
      ...entry.tags.map((tag) => `<category${attr('term', tag)}${attr('label', tag)}/>`),
      entry.image ? `<link rel="enclosure"${attr('type', imageType(entry.image))}${attr('href', entry.image)}/>` : '',
      '</entry>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    el('id', channel.homeUrl),
    el('title', channel.title, ' type="text"'),
    el('subtitle', channel.description, ' type="text"'),
    `<link rel="alternate" type="text/html"${attr('href', channel.homeUrl)}/>`,
    `<link rel="self" type="application/atom+xml"${attr('href', channel.atomUrl)}/>`,
    el('updated', channel.updated.toISOString()),
    el('generator', 'Broadsheet'),
    ...items,
    '</feed>',
    '',
  ].join('\n');
}
