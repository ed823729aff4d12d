import type { Element, Root } from 'hast';
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
