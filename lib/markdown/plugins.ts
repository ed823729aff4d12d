/**
 * Our own small rehype plugins, one concern each. Apart from `rehypeRawWhenNeeded` (which runs
 * before the sanitiser) they run after sanitising, so whatever they add is our own markup and not
 * subject to the sanitize schema.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toString } from 'hast-util-to-string';
import rehypeRaw from 'rehype-raw';
import { EXIT, SKIP, visit } from 'unist-util-visit';
import { BODY_IMAGE_SIZES, parseMediaUrl, srcSetFor } from '../media/urls';
import { CLOBBER_PREFIX } from './sanitize-schema';
import { countWordsInText } from './words';

export type TocEntry = { depth: 2 | 3 | 4; id: string; text: string };

/** What the collecting plugin leaves on `file.data`. */
export type RenderMeta = { toc: TocEntry[]; wordCount: number };

const META_KEY = 'broadsheetMarkdown';

/** The part of a vfile we use (structural, so this module needs no direct `vfile` dependency). */
type FileWithData = { data: object };

export function readRenderMeta(file: FileWithData): RenderMeta {
  const meta = (file.data as Record<string, unknown>)[META_KEY] as RenderMeta | undefined;
  return meta ?? { toc: [], wordCount: 0 };
}

function classList(element: Element): string[] {
  const value: unknown = element.properties.className;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [];
}

function hasClass(element: Element, name: string): boolean {
  return classList(element).includes(name);
}

/** GFM's visually hidden "Footnotes" `<h2>`: not part of the article's outline. */
export function isFootnoteLabel(element: Element): boolean {
  return element.tagName === 'h2' && hasClass(element, 'sr-only');
}

export const HEADING_ANCHOR_CLASS = 'heading-anchor';

function isHeadingAnchor(node: ElementContent | RootContent): boolean {
  return node.type === 'element' && node.tagName === 'a' && hasClass(node, HEADING_ANCHOR_CLASS);
}

type RawTransform = ReturnType<typeof rehypeRaw>;

/**
 * rehype-raw, skipped when the document has no inline HTML at all. rehype-raw re-parses the whole
 * tree through an HTML parser (~10% of render time for a typical article); without `raw` nodes
 * that round trip changes nothing, so it is not paid for.
 */
export function rehypeRawWhenNeeded() {
  const transform: RawTransform = rehypeRaw();
  return (tree: Root, file: Parameters<RawTransform>[1]): Root | undefined => {
    let hasRaw = false;
    visit(tree, 'raw', () => {
      hasRaw = true;
      return EXIT;
    });
    return hasRaw ? transform(tree, file) : undefined;
  };
}

/**
 * Make `#fragment` links point at the ids the sanitiser actually produced.
 *
 * The sanitiser prefixes every author-supplied id with `user-content-` (anti-clobbering), but it
 * does not touch hrefs. GFM footnotes are generated without a prefix (remark-rehype
 * `clobberPrefix: ''`) so that the sanitiser applies the prefix exactly once; this plugin then
 * adds it to their links too. Other in-page links (`[see](#intro)`, `<a href="#x">` + `<a id="x">`) are rewritten
 * only when the un-prefixed target does not exist (heading ids from rehype-slug are un-prefixed).
 * Runs after rehype-slug.
 */
export function rehypeResolveFragments() {
  return (tree: Root) => {
    const ids = new Set<string>();
    const fragmentLinks: Element[] = [];
    visit(tree, 'element', (node) => {
      const id = node.properties.id;
      if (typeof id === 'string') ids.add(id);
      const href = node.properties.href;
      if (node.tagName === 'a' && typeof href === 'string' && href.length > 1 && href.startsWith('#')) {
        fragmentLinks.push(node);
      }
    });
    for (const link of fragmentLinks) {
      let fragment: string;
      try {
        fragment = decodeURIComponent(String(link.properties.href).slice(1));
      } catch {
        continue;
      }
      if (fragment.startsWith(CLOBBER_PREFIX)) continue;
      const prefixed = CLOBBER_PREFIX + fragment;
      const isFootnoteLink = link.properties.dataFootnoteRef !== undefined || link.properties.dataFootnoteBackref !== undefined;
      if (ids.has(prefixed) && (isFootnoteLink || !ids.has(fragment))) {
        link.properties.href = '#' + encodeURIComponent(prefixed);
      }
    }
  };
}

const ABSOLUTE_HTTP = /^(?:https?:)?\/\//i;

/**
 * Also removes empty `class=""` attributes left by the sanitiser.
 *
 * Images: `loading="lazy"`, `decoding="async"`, `referrerpolicy="no-referrer"` (alt is left as
 * written; `![](x)` keeps `alt=""`). External links (absolute http(s) or protocol-relative):
 * `rel="noopener noreferrer"`. `nofollow`/`ugc` are a site decision and not added here.
 */
export function rehypeMediaAndLinks() {
  return (tree: Root) => {
    visit(tree, 'element', (node) => {
      // The sanitiser leaves `class=""` behind when it removed every class; drop the empty attribute.
      const className = node.properties.className;
      if (Array.isArray(className) && className.length === 0) delete node.properties.className;
      if (node.tagName === 'img') {
        node.properties.loading = 'lazy';
        node.properties.decoding = 'async';
        node.properties.referrerPolicy = 'no-referrer';
      } else if (node.tagName === 'a') {
        const href = node.properties.href;
        if (typeof href === 'string' && ABSOLUTE_HTTP.test(href.trim())) {
          node.properties.rel = ['noopener', 'noreferrer'];
        }
      }
    });
  };
}

/**
 * Our own uploaded images (`/media/<id>/<W>x<H>/<name>`, see lib/media/urls.ts) get `width`/`height`
 * from their URL, so they never shift the layout, and a WebP `srcset` + `sizes`. Remote images are
 * left as they are. Runs after sanitising: the sanitizer has already dropped any `srcset` or `sizes`
 * the author wrote (they carry URLs it cannot check), so those only ever come from here; an
 * author's `width`/`height` on one of our images is replaced by the real dimensions.
 */
export function rehypeMediaImages() {
  return (tree: Root) => {
    visit(tree, 'element', (node) => {
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      const src = node.properties.src;
      const media = parseMediaUrl(src);
      if (!media) return;
      // Keep an absolute URL's host for the smaller copies too.
      const origin = src.startsWith('/') ? '' : new URL(src).origin;
      node.properties.width = media.width;
      node.properties.height = media.height;
      node.properties.srcSet = srcSetFor(media, 'webp')
        .split(', ')
        .map((candidate) => origin + candidate)
        .join(', ');
      node.properties.sizes = BODY_IMAGE_SIZES;
    });
  };
}

function isTitledImage(node: ElementContent): node is Element {
  return node.type === 'element' && node.tagName === 'img' && typeof node.properties.title === 'string' && node.properties.title.trim() !== '';
}

/**
 * A paragraph that is nothing but one image with a title (`![alt](src "Caption")`, optionally
 * wrapped in a link) becomes `<figure><img><figcaption>Caption</figcaption></figure>`: the markdown
 * way to write a captioned image (and what the WordPress/Ghost import produces). The title moves
 * into the caption, as a text node (so it is escaped, never markup). Runs after sanitising: the
 * figure is our markup, which is why the sanitize schema need not allow figure/figcaption.
 */
export function rehypeFigures() {
  return (tree: Root) => {
    visit(tree, 'element', (node, index, parent) => {
      if (node.tagName !== 'p' || !parent || index === undefined) return undefined;
      const content = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
      if (content.length !== 1) return SKIP;
      const only = content[0];
      const link = only.type === 'element' && only.tagName === 'a' ? only : null;
      const linked = link?.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
      const image = link ? (linked?.length === 1 ? linked[0] : null) : only;
      if (!image || !isTitledImage(image)) return SKIP;
      const caption = String(image.properties.title).trim();
      delete image.properties.title;
      const figure: Element = {
        type: 'element',
        tagName: 'figure',
        properties: {},
        position: node.position,
        children: [link ?? image, { type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: caption }] }],
      };
      parent.children[index] = figure;
      return SKIP;
    });
  };
}

const TOC_DEPTH: Record<string, TocEntry['depth']> = { h2: 2, h3: 3, h4: 4 };

/** Elements whose boundaries separate words in the plain text (so `<td>a</td><td>b</td>` is 2 words). */
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'img',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

function plainText(node: Element): string {
  return toString({ ...node, children: node.children.filter((child) => !isHeadingAnchor(child)) })
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Collect the table of contents (h2–h4 with an id, text without the `#` anchor, footnote label
 * excluded) and the word count of the rendered plain text.
 *
 * Word count choice: words of the text a reader sees in the rendered article — prose, headings,
 * table cells, list items, footnote text and code blocks included; heading anchors, footnote
 * reference numbers and back-links, the visually hidden "Footnotes" label, embed cards and image
 * alt text excluded.
 */
export function rehypeCollectMeta() {
  return (tree: Root, file: FileWithData) => {
    const toc: TocEntry[] = [];
    visit(tree, 'element', (node) => {
      if (isFootnoteLabel(node)) return SKIP;
      const depth = TOC_DEPTH[node.tagName];
      const id = node.properties.id;
      if (depth && typeof id === 'string' && id) {
        const text = plainText(node);
        if (text) toc.push({ depth, id, text });
        return SKIP;
      }
      return undefined;
    });

    // Iterative walk (no recursion: deeply nested input must not overflow the stack here).
    const pieces: string[] = [];
    const stack: Array<Root | RootContent | ' '> = [tree];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === ' ') {
        pieces.push(' ');
      } else if (node.type === 'text') {
        pieces.push(node.value);
      } else if (node.type === 'element' || node.type === 'root') {
        if (node.type === 'element') {
          if (
            isHeadingAnchor(node) ||
            isFootnoteLabel(node) ||
            hasClass(node, 'embed') ||
            (node.tagName === 'a' && (node.properties.dataFootnoteBackref !== undefined || node.properties.dataFootnoteRef !== undefined))
          ) {
            continue;
          }
        }
        const block = node.type === 'element' && BLOCK_ELEMENTS.has(node.tagName);
        if (block) stack.push(' ');
        for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push(node.children[index]);
        if (block) stack.push(' ');
      }
    }
    const meta: RenderMeta = { toc, wordCount: countWordsInText(pieces.join('')) };
    (file.data as Record<string, unknown>)[META_KEY] = meta;
  };
}
