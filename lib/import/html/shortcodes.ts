/**
 * WordPress shortcodes, expanded at the string level as WordPress itself does (`do_shortcode`),
 * into plain HTML that the hast steps then treat like any other body:
 *
 * - `[caption …]<img …> Text[/caption]` (also `<a><img></a>`, or a `caption="…"` attribute) → a figure;
 * - `[gallery ids="1,2"]` → its images, when the caller can resolve attachment ids;
 * - `[embed]URL[/embed]`, `[audio src=…]`, `[video mp4=…]` → a link in a paragraph of its own;
 * - `[code lang="js"]…[/code]`, `[sourcecode language="x"]` (SyntaxHighlighter) → a code block;
 * - `[[name]]` → the literal text `[name]` (WordPress's escape);
 * - anything else stays as text, and its opening tag is listed.
 *
 * A shortcode is `[name` with `name` matching `[a-z][a-z0-9_-]*`, followed by a space, `]` or `/`,
 * in text outside tags, comments, `<pre>` and `<code>`. An unknown one is only *listed* when it looks
 * like a real one (attributes, `/]`, a closing `[/name]`, or a `-`/`_` in its name), so `[1]`,
 * `[x]`, `[sic]` and `[text](url)` are left alone.
 */
import type { SourceImage } from '../types';
import { escapeHtml, MASK, maskMarkup } from './scan';

export type AttachmentResolver = (id: string) => SourceImage | undefined;

const OPENING = /\[([a-z][a-z0-9_-]*)(?=[\s\]/])([^\][\u0001]*)\]/g;
const CLOSING = /\[\/([a-z][a-z0-9_-]*)\]/g;
const ATTRIBUTE = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|&quot;(.*?)&quot;|([^\s"'\]]+))|"([^"]*)"|(\S+)/g;

const MEDIA_SOURCES = ['src', 'mp4', 'm4v', 'webm', 'ogv', 'flv', 'mp3', 'm4a', 'ogg', 'wav', 'wma'];

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(ATTRIBUTE)) {
    if (match[1]) attributes[match[1].toLowerCase()] = match[2] ?? match[3] ?? match[4] ?? match[5] ?? '';
  }
  return attributes;
}

function linkParagraph(url: string): string {
  const href = escapeHtml(url.trim());
  return `\n\n<p><a href="${href}">${href}</a></p>\n\n`;
}

function figure(image: SourceImage): string {
  const img = `<img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt)}">`;
  return image.caption.trim() ? `\n\n<figure>${img}<figcaption>${escapeHtml(image.caption)}</figcaption></figure>\n\n` : `\n\n<p>${img}</p>\n\n`;
}

const CAPTIONED_IMAGE = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i;

/** Positions of every `[/name]`, by name, ascending. */
function closingPositions(masked: string): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  for (const match of masked.matchAll(CLOSING)) {
    const list = positions.get(match[1]) ?? [];
    list.push(match.index);
    positions.set(match[1], list);
  }
  return positions;
}

/** The first `[/name]` at or after `from`, or -1. */
function nextClosing(positions: Map<string, number[]>, name: string, from: number): number {
  const list = positions.get(name);
  if (!list) return -1;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle] < from) low = middle + 1;
    else high = middle;
  }
  return low < list.length ? list[low] : -1;
}

export function expandShortcodes(html: string, attachments?: AttachmentResolver): { html: string; shortcodes: string[] } {
  if (!html.includes('[')) return { html, shortcodes: [] };
  const masked = maskMarkup(html);
  const closings = closingPositions(masked);
  const listed = new Set<string>();
  let out = '';
  let cursor = 0;
  const opening = new RegExp(OPENING.source, 'g');

  for (let match = opening.exec(masked); match; match = opening.exec(masked)) {
    const start = match.index;
    const [whole, name, rawAttributes] = match;
    let end = start + whole.length;
    const selfClosing = rawAttributes.trimEnd().endsWith('/');
    const closing = selfClosing ? -1 : nextClosing(closings, name, end);
    const contentEnd = closing;
    const enclosedEnd = closing < 0 ? -1 : closing + name.length + 3;
    const openingText = html.slice(start, end);
    const attributes = parseAttributes(rawAttributes.replace(/\/\s*$/, ''));

    // `[[name …]]` is WordPress's escape for a literal shortcode.
    if (masked[start - 1] === '[' && start - 1 >= cursor) {
      const literalEnd = enclosedEnd > 0 ? enclosedEnd : end;
      if (masked[literalEnd] === ']') {
        out += html.slice(cursor, start - 1) + html.slice(start, literalEnd);
        cursor = literalEnd + 1;
        opening.lastIndex = cursor;
        continue;
      }
    }

    let replacement: string | undefined;
    switch (name) {
      case 'caption':
      case 'wp_caption': {
        if (enclosedEnd < 0) break;
        const content = html.slice(end, contentEnd);
        const parts = CAPTIONED_IMAGE.exec(content);
        const caption = (attributes.caption ? escapeHtml(attributes.caption) : (parts?.[2] ?? '')).trim();
        replacement = parts ? `\n\n<figure>${parts[1]}<figcaption>${caption}</figcaption></figure>\n\n` : content;
        end = enclosedEnd;
        break;
      }
      case 'gallery': {
        const ids = (attributes.ids ?? attributes.include ?? '')
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean);
        if (!attachments || ids.length === 0) break;
        const images = ids.map((id) => attachments(id));
        replacement = images.map((image) => (image ? figure(image) : '')).join('');
        if (images.some((image) => !image)) listed.add(openingText);
        break;
      }
      case 'embed': {
        if (enclosedEnd < 0) break;
        const url = html
          .slice(end, contentEnd)
          .replace(/<[^>]*>/g, '')
          .trim();
        if (!/^https?:\/\/\S+$/i.test(url)) break;
        replacement = linkParagraph(url);
        end = enclosedEnd;
        break;
      }
      case 'audio':
      case 'video': {
        const source = MEDIA_SOURCES.map((key) => attributes[key]).find((value) => value && value.trim());
        if (!source) break;
        replacement = linkParagraph(source);
        // The enclosed content is the player's fallback.
        if (enclosedEnd > 0) end = enclosedEnd;
        break;
      }
      case 'code':
      case 'sourcecode': {
        if (enclosedEnd < 0) break;
        const language = (attributes.language ?? attributes.lang ?? '').replace(/[^\w+#.-]/g, '');
        const className = language ? ` class="language-${language}"` : '';
        // `<` and `>` are escaped; `&` is not, so entities written by the visual editor decode once.
        const code = html.slice(end, contentEnd).replace(/^\n/, '').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        replacement = `\n\n<pre><code${className}>${code}</code></pre>\n\n`;
        end = enclosedEnd;
        break;
      }
      default:
        break;
    }

    if (replacement === undefined) {
      if (looksLikeShortcode(name, rawAttributes, selfClosing, closing, masked[end] === '(')) {
        listed.add(openingText.replace(/\s+/g, ' '));
      }
      continue;
    }
    out += html.slice(cursor, start) + replacement;
    cursor = end;
    opening.lastIndex = end;
  }
  return { html: out + html.slice(cursor), shortcodes: [...listed] };
}

function looksLikeShortcode(name: string, attributes: string, selfClosing: boolean, closing: number, followedByParen: boolean): boolean {
  if (followedByParen || name.length < 2) return false;
  return attributes.includes('=') || selfClosing || closing >= 0 || /[-_]/.test(name) || KNOWN_NAMES.has(name);
}

/** Shortcodes we know but may leave as text (a gallery without attachments, an embed without URL…). */
const KNOWN_NAMES = new Set(['caption', 'wp_caption', 'gallery', 'embed', 'audio', 'video', 'playlist', 'code', 'sourcecode']);

/**
 * A URL alone on its own line is an oEmbed in WordPress (`WP_Embed::autoembed`, which runs before
 * wpautop): it becomes a link in a paragraph of its own. Lines inside tags or `<pre>` are left alone.
 */
export function linkBareUrlLines(html: string): string {
  if (!html.includes('://')) return html;
  const masked = maskMarkup(html);
  let out = '';
  let cursor = 0;
  for (const match of masked.matchAll(/^[ \t]*(https?:\/\/[^\s<>"\u0001]+)[ \t]*$/gim)) {
    if (match[1].includes(MASK)) continue;
    out += html.slice(cursor, match.index) + linkParagraph(match[1]);
    cursor = match.index + match[0].length;
  }
  return out + html.slice(cursor);
}
