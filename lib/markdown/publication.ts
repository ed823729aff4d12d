/**
 * The markdown that publications need beyond GFM, one plugin each: the "read more" marker
 * (`<!--more-->`), callouts (GitHub's `> [!NOTE]`…), and link cards for oEmbed providers' URLs
 * written alone on a line. Apart from `remarkMoreMarker` (which reads the markdown tree) they run
 * after sanitising, so the markup they add is ours; what they take from the author (a label's kind,
 * a link's address) has already been through the sanitiser, and provider data arrives as text.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { visit } from 'unist-util-visit';
import { embedProviderFor, type EmbedCard, type EmbedProvider } from '../embeds/providers';
import { parseMediaUrl } from '../media/urls';

type FileWithData = { data: object };
const data = (file: FileWithData) => file.data as Record<string, unknown>;

/** file.data keys: the marker's offset in the markdown, the resolved embeds given to this render, the excerpt. */
const MORE_KEY = 'broadsheetMoreOffset';
export const EMBEDS_KEY = 'broadsheetEmbeds';
const EXCERPT_KEY = 'broadsheetExcerpt';

/** WordPress's marker (`<!--more-->`, also `<!--more Read on-->`), alone on its line. */
const MORE_MARKER = /^<!--\s*more(?:\s[^>]*)?-->$/i;

/**
 * The first `<!--more-->` at the top level of the document ends the excerpt: its place is noted
 * and the marker removed (it renders nothing). Markers in quotes, lists or code are left alone.
 */
export function remarkMoreMarker() {
  return (tree: MdastRoot, file: FileWithData) => {
    const index = tree.children.findIndex((node) => node.type === 'html' && MORE_MARKER.test(node.value.trim()));
    if (index < 0) return;
    const offset = tree.children[index].position?.start.offset;
    if (typeof offset === 'number') data(file)[MORE_KEY] = offset;
    tree.children.splice(index, 1);
  };
}

/** Longest stored excerpt, in characters (cards and feed summaries; the article has the whole text). */
export const MAX_EXCERPT_CHARS = 1000;

function classList(element: Element): string[] {
  const value: unknown = element.properties.className;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [];
}

/** Text a reader of the excerpt would miss nothing without: heading anchors, footnote numbers, cards. */
function leftOutOfExcerpt(node: Element): boolean {
  const names = classList(node);
  return (
    names.includes('heading-anchor') ||
    names.includes('embed') ||
    (node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined) ||
    (node.tagName === 'sup' && node.children.some((child) => child.type === 'element' && child.properties.dataFootnoteRef !== undefined))
  );
}

function textOf(nodes: ElementContent[]): string {
  let out = '';
  const stack = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'text') out += node.value;
    else if (node.type === 'element' && !leftOutOfExcerpt(node)) {
      out += ' ';
      for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push(node.children[index]);
    }
  }
  return out;
}

/** Cut on a word boundary with an ellipsis when over `max`. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The excerpt: the plain text of every top-level block written above the marker (as the reader
 * sees it rendered: callout labels, figure captions, link text), or '' when there is no marker.
 */
export function rehypeExcerpt() {
  return (tree: Root, file: FileWithData) => {
    const offset = data(file)[MORE_KEY];
    if (typeof offset !== 'number') return;
    const blocks: string[] = [];
    for (const node of tree.children) {
      if (node.type !== 'element') continue;
      const start = node.position?.start.offset;
      if (typeof start !== 'number' || start >= offset) continue;
      const text = textOf([node]).replace(/\s+/g, ' ').trim();
      if (text) blocks.push(text);
    }
    data(file)[EXCERPT_KEY] = clip(blocks.join(' '), MAX_EXCERPT_CHARS);
  };
}

export function readExcerpt(file: FileWithData): string {
  const excerpt = data(file)[EXCERPT_KEY];
  return typeof excerpt === 'string' ? excerpt : '';
}

/** GitHub's alert kinds and the label each shows (as text, so feeds and mail read it without CSS). */
export const CALLOUT_LABELS = { note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution' } as const;
export type CalloutKind = keyof typeof CALLOUT_LABELS;

// `[!NOTE]` alone on the first line of a quote (what GitHub requires), any case.
const CALLOUT_MARKER = /^\[!(note|tip|important|warning|caution)\][ \t]*(?:\r?\n|$)/i;

const isBlank = (node: ElementContent) => (node.type === 'text' && node.value.trim() === '') || (node.type === 'element' && node.tagName === 'br');

/**
 * `> [!NOTE]` then the text of the quote → `<aside class="callout callout-note"><p
 * class="callout-label"><strong>Note</strong></p>…</aside>`. The quote's own content stays as it was
 * rendered (and sanitised); only the marker text goes.
 */
export function rehypeCallouts() {
  return (tree: Root) => {
    visit(tree, 'element', (node) => {
      if (node.tagName !== 'blockquote') return;
      const first = node.children.find((child): child is Element => child.type === 'element');
      if (!first || first.tagName !== 'p') return;
      const lead = first.children[0];
      if (lead?.type !== 'text') return;
      const match = CALLOUT_MARKER.exec(lead.value);
      if (!match) return;
      const kind = match[1].toLowerCase() as CalloutKind;
      lead.value = lead.value.slice(match[0].length);
      if (first.children.every(isBlank)) node.children.splice(node.children.indexOf(first), 1);
      node.tagName = 'aside';
      node.properties = { className: ['callout', `callout-${kind}`] };
      const label: Element = {
        type: 'element',
        tagName: 'p',
        properties: { className: ['callout-label'] },
        children: [{ type: 'element', tagName: 'strong', properties: {}, children: [{ type: 'text', value: CALLOUT_LABELS[kind] }] }],
      };
      node.children.unshift({ type: 'text', value: '\n' }, label);
    });
  };
}

/** Our own copy of a thumbnail, or null: a card never points an image at another host. */
function ownThumbnail(card: EmbedCard | null) {
  if (!card?.thumbnail || !card.thumbnail.startsWith('/media/')) return null;
  const media = parseMediaUrl(card.thumbnail);
  return media ? { src: card.thumbnail, width: media.width, height: media.height } : null;
}

const text = (value: string): ElementContent => ({ type: 'text', value });

/** The card: one plain link to the provider's page, with our thumbnail when the embed was resolved. */
export function embedCard(provider: EmbedProvider, href: string, card: EmbedCard | null): Element {
  const thumbnail = ownThumbnail(card);
  const title = card?.title.trim() || href;
  const children: ElementContent[] = [];
  if (thumbnail) {
    children.push({
      type: 'element',
      tagName: 'img',
      properties: {
        className: ['embed-thumb'],
        src: thumbnail.src,
        alt: '',
        width: thumbnail.width,
        height: thumbnail.height,
        loading: 'lazy',
        decoding: 'async',
      },
      children: [],
    });
  }
  children.push(
    { type: 'element', tagName: 'span', properties: { className: ['embed-title'] }, children: [text(title)] },
    { type: 'element', tagName: 'br', properties: {}, children: [] },
    {
      type: 'element',
      tagName: 'span',
      properties: { className: ['embed-action'] },
      children: [{ type: 'element', tagName: 'span', properties: { ariaHidden: 'true' }, children: [text('▶ ')] }, text(`${provider.action} on ${provider.name}`)],
    },
  );
  return {
    type: 'element',
    tagName: 'div',
    properties: { className: ['embed', `embed-${provider.id}`] },
    children: [
      {
        type: 'element',
        tagName: 'a',
        properties: { className: ['embed-card'], href, rel: ['noopener', 'noreferrer'] },
        children,
      },
    ],
  };
}

/** The provider URL of a paragraph that is nothing but one bare link (`https://…` or `<https://…>`), or null. */
function bareProviderLink(node: Element): { href: string; provider: EmbedProvider } | null {
  const content = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  if (content.length !== 1) return null;
  const link = content[0];
  if (link.type !== 'element' || link.tagName !== 'a' || link.children.length !== 1 || link.children[0].type !== 'text') return null;
  const href = link.properties.href;
  if (typeof href !== 'string' || link.children[0].value.trim() !== href) return null;
  const provider = embedProviderFor(href);
  return provider ? { href, provider } : null;
}

/**
 * A top-level paragraph that is only a bare link to a known provider (lib/embeds/providers.ts)
 * becomes its card. What the save resolved (title, our thumbnail) comes in `file.data` under
 * `EMBEDS_KEY`, keyed by the URL as written; without it the card shows the URL and the provider.
 */
export function rehypeEmbeds() {
  return (tree: Root, file: FileWithData) => {
    const embeds = data(file)[EMBEDS_KEY] as ReadonlyMap<string, EmbedCard> | undefined;
    tree.children.forEach((node: RootContent, index) => {
      if (node.type !== 'element' || node.tagName !== 'p') return;
      const found = bareProviderLink(node);
      if (!found) return;
      const card = embedCard(found.provider, found.href, embeds?.get(found.href) ?? null);
      card.position = node.position;
      tree.children[index] = card;
    });
  };
}
