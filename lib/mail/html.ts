import type { Element, ElementContent, Root, RootContent } from 'hast';
import rehypeParse from 'rehype-parse';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { parseMediaUrl } from '@/lib/media/urls';

/**
 * A stored post body (already sanitised HTML, lib/markdown) made fit for mail clients, in named steps:
 * drop what mail must not carry, make every link and image absolute, size images for a 600 px
 * column, then inline our styles (mail clients ignore style sheets and classes). The plain-text part
 * comes from the same tree. Pure: the same body and addresses give the same mail.
 */
export const MAIL_WIDTH = 600;
/** The body's width inside the template's padding. */
export const BODY_WIDTH = MAIL_WIDTH - 64;

export const FONT = "Georgia, 'Times New Roman', serif";
export const SANS = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
export const MONO = "Menlo, Consolas, 'Courier New', monospace";

/** Elements whose content never belongs in a mail: removed with everything inside. */
const REMOVED = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'link',
  'meta',
  'base',
  'noscript',
  'template',
  'svg',
  'math',
  'video',
  'audio',
  'source',
  'track',
  'canvas',
  'dialog',
]);

/** The only attributes kept (hast property names); styles are ours, added last. */
const KEPT = new Set(['href', 'src', 'alt', 'title', 'width', 'height', 'colSpan', 'rowSpan', 'start', 'lang', 'dir']);

const STYLES: Record<string, string> = {
  h1: `font-family:${FONT};font-size:28px;line-height:1.25;margin:28px 0 12px;color:#111111;`,
  h2: `font-family:${FONT};font-size:23px;line-height:1.3;margin:28px 0 10px;color:#111111;`,
  h3: `font-family:${FONT};font-size:19px;line-height:1.3;margin:24px 0 8px;color:#111111;`,
  h4: `font-family:${FONT};font-size:17px;line-height:1.3;margin:20px 0 8px;color:#111111;`,
  h5: `font-family:${FONT};font-size:16px;line-height:1.3;margin:20px 0 8px;color:#111111;`,
  h6: `font-family:${FONT};font-size:15px;line-height:1.3;margin:20px 0 8px;color:#333333;`,
  p: `font-family:${FONT};font-size:17px;line-height:1.6;margin:0 0 16px;color:#222222;`,
  a: 'color:#1a56db;text-decoration:underline;',
  img: 'display:block;max-width:100%;height:auto;border:0;outline:none;text-decoration:none;',
  figure: 'margin:24px 0;',
  figcaption: `font-family:${SANS};font-size:14px;line-height:1.4;color:#555555;margin:8px 0 0;`,
  blockquote: 'margin:16px 0;padding:0 0 0 16px;border-left:3px solid #cccccc;color:#444444;',
  pre: `font-family:${MONO};font-size:14px;line-height:1.45;background:#f5f5f5;padding:12px;margin:0 0 16px;white-space:pre-wrap;word-wrap:break-word;`,
  code: `font-family:${MONO};font-size:14px;`,
  ul: `font-family:${FONT};font-size:17px;line-height:1.6;margin:0 0 16px;padding:0 0 0 24px;color:#222222;`,
  ol: `font-family:${FONT};font-size:17px;line-height:1.6;margin:0 0 16px;padding:0 0 0 24px;color:#222222;`,
  li: 'margin:0 0 6px;',
  table: `border-collapse:collapse;margin:0 0 16px;font-family:${SANS};font-size:15px;`,
  th: 'border:1px solid #dddddd;padding:6px 10px;text-align:left;background:#f5f5f5;',
  td: 'border:1px solid #dddddd;padding:6px 10px;text-align:left;',
  hr: 'border:0;border-top:1px solid #dddddd;margin:24px 0;',
};

/**
 * Our pipeline's own blocks (lib/markdown/publication.ts), styled by their class (mail clients have
 * no style sheet): callouts, and embeds' link cards, which stay one plain link to the provider.
 */
const CLASS_STYLES: Record<string, string> = {
  callout: 'margin:16px 0;padding:12px 16px 1px;border-left:4px solid #1a56db;background:#f3f6fc;',
  'callout-label': `font-family:${SANS};font-size:14px;line-height:1.4;margin:0 0 8px;color:#1a56db;text-transform:uppercase;letter-spacing:0.04em;`,
  embed: 'margin:24px 0;',
  'embed-card': 'display:block;border:1px solid #dddddd;border-radius:6px;padding:12px;color:#111111;text-decoration:none;',
  'embed-thumb': 'display:block;max-width:100%;height:auto;border:0;margin:0 0 10px;',
  'embed-title': `font-family:${SANS};font-size:16px;line-height:1.4;font-weight:bold;color:#111111;`,
  'embed-action': `font-family:${SANS};font-size:14px;line-height:1.6;color:#1a56db;`,
};

export type MailAddresses = {
  /** SITE_URL: root-relative links and images (/media/…) are made absolute against it. */
  siteUrl: string;
  /** The post's public address: in-page links (#section, footnotes) lead there. */
  pageUrl: string;
};

const classes = (node: Element): string[] => {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : value ? String(value).split(/\s+/) : [];
};

/** An absolute http(s) or mailto URL, or null for anything else (javascript:, data:, malformed). */
export function absoluteUrl(value: unknown, { siteUrl, pageUrl }: MailAddresses, schemes = ['http:', 'https:', 'mailto:']): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  const raw = value.trim();
  try {
    const url = raw.startsWith('#') ? new URL(raw, pageUrl) : new URL(raw, `${siteUrl}/`);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Width and height for the mail column: our media from the URL's dimensions, others from their attributes. */
function mailSize(src: string, node: Element): { width: number; height: number } | null {
  const media = parseMediaUrl(src);
  const width = media?.width ?? Number(node.properties.width);
  const height = media?.height ?? Number(node.properties.height);
  if (!(width > 0) || !(height > 0)) return null;
  const scale = Math.min(1, BODY_WIDTH / width);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

function clean(children: (RootContent | ElementContent)[], addresses: MailAddresses): ElementContent[] {
  const out: ElementContent[] = [];
  for (const child of children) {
    if (child.type === 'comment' || child.type === 'doctype') continue;
    if (child.type !== 'element') {
      out.push(child as ElementContent);
      continue;
    }
    const tag = child.tagName;
    const names = classes(child);
    // Hidden on the site (screen-reader labels) or only useful there (heading anchors).
    if (REMOVED.has(tag) || names.includes('sr-only') || names.includes('heading-anchor')) continue;
    const properties: Element['properties'] = {};
    for (const [key, value] of Object.entries(child.properties)) if (KEPT.has(key)) properties[key] = value;
    const node: Element = { ...child, properties, children: clean(child.children, addresses) };
    if (tag === 'a') {
      const href = absoluteUrl(child.properties.href, addresses);
      if (!href) {
        out.push(...node.children); // a link that leads nowhere a reader can go: its text only
        continue;
      }
      properties.href = href;
    }
    if (tag === 'img') {
      const src = absoluteUrl(child.properties.src, addresses, ['http:', 'https:']);
      if (!src) continue;
      properties.src = src;
      properties.alt = typeof child.properties.alt === 'string' ? child.properties.alt : '';
      const size = mailSize(String(child.properties.src), child);
      if (size) Object.assign(properties, size);
      else delete properties.height;
      if (!size) properties.width = BODY_WIDTH;
    }
    const ours = names.find((name) => CLASS_STYLES[name]);
    if (ours) properties.style = CLASS_STYLES[ours];
    else if (STYLES[tag]) properties.style = STYLES[tag];
    out.push(node);
  }
  return out;
}

export type MailBody = { html: string; text: string };

/** The body for mail: HTML with inline styles and absolute URLs, and its plain text. */
export function mailBody(html: string, addresses: MailAddresses): MailBody {
  const tree = unified().use(rehypeParse, { fragment: true }).parse(html) as Root;
  const cleaned: Root = { type: 'root', children: clean(tree.children, addresses) };
  const out = unified().use(rehypeStringify).stringify(cleaned);
  return { html: out, text: plainText(cleaned) };
}

const BLOCKS = new Set([
  'p',
  'div',
  'aside',
  'section',
  'figure',
  'figcaption',
  'table',
  'tr',
  'ul',
  'ol',
  'pre',
  'blockquote',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

/** Plain text of a cleaned tree: paragraphs apart, headings underlined, links as "text (url)", images as their alt. */
export function plainText(root: Root): string {
  const walk = (nodes: ElementContent[] | RootContent[], prefix: { list?: 'ul' | 'ol'; index: number }): string => {
    let out = '';
    for (const node of nodes) {
      if (node.type === 'text') out += node.value;
      if (node.type !== 'element') continue;
      const tag = node.tagName;
      if (tag === 'br') out += '\n';
      else if (tag === 'hr') out += '\n\n----\n\n';
      else if (tag === 'img') out += node.properties.alt ? `[${String(node.properties.alt)}]` : '';
      else if (tag === 'pre') out += `\n\n${textOf(node)}\n\n`;
      else if (tag === 'a') {
        const label = walk(node.children, prefix).trim();
        const href = String(node.properties.href ?? '');
        out += !label || label === href || `mailto:${label}` === href ? href : `${label} (${href})`;
      } else if (/^h[1-6]$/.test(tag)) {
        const title = walk(node.children, prefix).trim();
        out += `\n\n${title}\n${(tag === 'h1' ? '=' : '-').repeat(Math.min(title.length, 72))}\n\n`;
      } else if (tag === 'ul' || tag === 'ol') {
        out += `\n\n${walk(node.children, { list: tag, index: Number(node.properties.start ?? 1) })}\n\n`;
      } else if (tag === 'li') {
        const marker = prefix.list === 'ol' ? `${prefix.index++}. ` : '- ';
        out += `${marker}${walk(node.children, { index: 1 }).trim().replace(/\n+/g, '\n   ')}\n`;
      } else if (tag === 'blockquote') {
        const quoted = walk(node.children, prefix)
          .trim()
          .replace(/\n{3,}/g, '\n\n');
        out += `\n\n${quoted
          .split('\n')
          .map((line) => `> ${line}`.trimEnd())
          .join('\n')}\n\n`;
      } else if (tag === 'td' || tag === 'th') out += `${walk(node.children, prefix).trim()}\t`;
      else if (BLOCKS.has(tag)) out += `\n\n${walk(node.children, prefix)}\n\n`;
      else out += walk(node.children, prefix);
    }
    return out;
  };
  return tidy(walk(root.children, { index: 1 }));
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type !== 'element') return '';
  return node.children.map(textOf).join('');
}

/** Trailing spaces gone, at most one blank line between blocks. */
export function tidy(text: string): string {
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value in our template. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
