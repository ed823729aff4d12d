/**
 * hast steps for what HTML says with markup that markdown says differently: code languages,
 * figures and galleries, embeds and media, and URLs (absolute against the old site).
 */
import type { Element, ElementContent, Root } from 'hast';
import { descendants, element, findAll, hasClass, isWhitespace, plainText, replaceWith, text } from './hast';

const LANGUAGE_CLASS = /^(?:language|lang)-([\w+#.-]+)$/;

function languageOf(node: Element): string | null {
  const classNames = [node.properties.className].flat().map((name) => String(name ?? ''));
  for (const name of classNames) {
    const match = LANGUAGE_CLASS.exec(name);
    if (match) return match[1];
  }
  // SyntaxHighlighter's `class="brush: js"`.
  const brush = /\bbrush:\s*([\w+#.-]+)/.exec(classNames.join(' '));
  if (brush) return brush[1];
  for (const value of [node.properties.lang, node.properties.dataLang, node.properties.dataLanguage]) {
    if (typeof value === 'string' && /^[\w+#.-]+$/.test(value)) return value;
  }
  return null;
}

/**
 * `<pre><code class="language-x">` is what rehype-remark reads; WordPress writes `<code lang="x">`
 * or puts the class on `<pre>`, and some plugins write `<pre>` without `<code>`.
 */
export function normalizeCode(tree: Root): void {
  for (const { node: pre } of findAll(tree, (node) => node.tagName === 'pre')) {
    const codes = pre.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'code');
    const code = codes.length === 1 && pre.children.every((child) => child === codes[0] || isWhitespace(child)) ? codes[0] : null;
    const language = (code && languageOf(code)) ?? languageOf(pre);
    const className = language ? [`language-${language.toLowerCase()}`] : [];
    if (code) code.properties = { className };
    else pre.children = [element('code', { className }, pre.children)];
  }
}

/** `__GHOST_URL__` (Ghost exports) → the site URL, or root-relative without one; relative → absolute. */
export function absoluteUrl(url: string, siteUrl: string | null): string {
  let value = url.trim();
  if (value.startsWith('__GHOST_URL__')) {
    value = value.slice('__GHOST_URL__'.length) || '/';
    if (!value.startsWith('/')) value = '/' + value;
  }
  if (!siteUrl || value.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  try {
    return new URL(value, siteUrl.endsWith('/') ? siteUrl : siteUrl + '/').href;
  } catch {
    return value;
  }
}

/**
 * URLs absolute; image titles removed (in our markdown a titled image alone in its paragraph is a
 * figure with that caption, so only real captions may set one); links without an href unwrapped.
 */
export function normalizeLinksAndImages(tree: Root, siteUrl: string | null): void {
  for (const { node } of findAll(tree, () => true)) {
    for (const property of ['href', 'src', 'poster']) {
      const value = node.properties[property];
      if (typeof value !== 'string') continue;
      const absolute = absoluteUrl(value, siteUrl);
      node.properties[property] = absolute;
      // A link whose text is its own URL (an embed, a media file) shows the new URL too.
      const only = node.children.length === 1 ? node.children[0] : undefined;
      if (property === 'href' && only?.type === 'text' && only.value.trim() === value.trim()) only.value = absolute;
    }
    if (node.tagName === 'img') delete node.properties.title;
    if (node.tagName === 'a' && (typeof node.properties.href !== 'string' || node.properties.href === '')) node.tagName = 'span';
  }
}

function linkParagraph(url: string, label?: string): Element {
  return element('p', {}, [element('a', { href: url }, [text(label || url)])]);
}

const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)(?:[?#].*)?$/i;

/** `<audio>`/`<video>` → a link to the file (the first `<source>` when there is no `src`). */
export function mediaToLinks(tree: Root): void {
  for (const { node, parent } of findAll(tree, (node) => node.tagName === 'audio' || node.tagName === 'video')) {
    const source =
      (typeof node.properties.src === 'string' && node.properties.src) ||
      descendants(node, (child) => child.tagName === 'source' && typeof child.properties.src === 'string').map((child) => String(child.properties.src))[0];
    replaceWith(parent, node, source ? [element('a', { href: source }, [text(source)])] : []);
  }
}

/**
 * Figures, innermost first:
 * - one image (WordPress wp-block-image, Ghost kg-image-card, our `[caption]` expansion) →
 *   a paragraph with just that image, the caption as its title (a link around it is kept unless it
 *   only points at the image file itself);
 * - several images (wp-block-gallery, kg-gallery-card) → one paragraph per image, then the
 *   gallery's caption as a paragraph;
 * - embeds (wp-block-embed: the URL is the text; kg-bookmark-card) → a link in its own paragraph;
 * - anything else (tables, quotes, media) → its content, the caption as a paragraph after it.
 */
export function convertFigures(tree: Root): void {
  const figures = findAll(tree, (node) => node.tagName === 'figure').reverse();
  for (const { node: figure, parent } of figures) replaceWith(parent, figure, convertFigure(figure));
}

function convertFigure(figure: Element): ElementContent[] {
  const captionElement = figure.children.find((child): child is Element => child.type === 'element' && child.tagName === 'figcaption');
  const caption = captionElement ? plainText(captionElement) : '';
  const captionParagraph = captionElement && caption ? [element('p', {}, captionElement.children)] : [];
  const content = figure.children.filter((child) => child !== captionElement);

  if (hasClass(figure, 'kg-bookmark-card')) {
    const link = descendants(figure, (node) => node.tagName === 'a' && typeof node.properties.href === 'string')[0];
    if (link) {
      const title = descendants(link, (node) => hasClass(node, 'kg-bookmark-title'))[0];
      return [linkParagraph(String(link.properties.href), title ? plainText(title) : undefined), ...captionParagraph];
    }
  }
  if (hasClass(figure, 'wp-block-embed') || hasClass(figure, /^wp-block-embed-/)) {
    const url = plainText({ ...figure, children: content });
    if (/^https?:\/\/\S+$/.test(url)) return [linkParagraph(url), ...captionParagraph];
  }

  const images = descendants(figure, (node) => node.tagName === 'img');
  if (images.length === 1) {
    const image = images[0];
    if (caption) image.properties.title = caption;
    const link = descendants(figure, (node) => node.tagName === 'a' && node.children.includes(image))[0];
    const href = link ? String(link.properties.href) : '';
    const keepLink = link && href !== image.properties.src && !IMAGE_FILE.test(href) && !/attachment/.test(href);
    return [element('p', {}, [keepLink ? element('a', { ...link.properties }, [image]) : image])];
  }
  if (images.length > 1) {
    return [...images.map((image) => element('p', {}, [image])), ...captionParagraph];
  }
  return [...content, ...captionParagraph];
}

const BARE_URL = /^\s*(https?:\/\/[^\s<>"]+)\s*$/;

/** WordPress oEmbed: a paragraph that is nothing but a URL becomes a link to it. */
export function linkBareUrlParagraphs(tree: Root): void {
  for (const { node } of findAll(tree, (node) => node.tagName === 'p')) {
    const children = node.children.filter((child) => !(child.type === 'element' && child.tagName === 'br'));
    if (children.length !== 1 || children[0].type !== 'text') continue;
    const match = BARE_URL.exec(children[0].value);
    if (match) node.children = [element('a', { href: match[1] }, [text(match[1])])];
  }
}
