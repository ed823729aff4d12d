/**
 * The one markdown → HTML pipeline for Broadsheet (articles, editor preview, re-rendering).
 *
 * Pure Node: no DOM, no `server-only`, no client JavaScript in the output. Processors are built
 * once (one per set of GFM features a document can use, see `gfmFeaturesOf`), frozen, and reused.
 *
 * Steps, in order:
 *  1. parse        remark-parse + remark-gfm (tables, strikethrough, task lists, footnotes, autolinks)
 *  2. to HTML tree remark-rehype (`allowDangerousHtml`) + rehype-raw (skipped when there is no
 *                  inline HTML): inline HTML is parsed…
 *  3. sanitise     …and then filtered by rehype-sanitize with `sanitizeSchema` (./sanitize-schema.ts)
 *  4. headings     rehype-slug (ids) + rehype-autolink-headings (appended `#` anchor), then
 *                  `#fragment` links are pointed at the sanitised (prefixed) ids
 *  5. highlight    rehype-highlight (lowlight, common languages, no auto-detection)
 *  6. figures      a paragraph of just one titled image → `<figure>` with the title as `<figcaption>`
 *     callouts     `> [!NOTE]` (TIP, IMPORTANT, WARNING, CAUTION) → `<aside class="callout">` with a label
 *     media/links  lazy images, `rel="noopener noreferrer"` on external links; our own uploaded
 *                  images get width/height from their URL plus a WebP srcset/sizes
 *     embeds       a top-level paragraph of one bare YouTube/Vimeo/… link → a link card (./publication.ts)
 *  7. collect      the excerpt (what is above `<!--more-->`, noted in step 1 and removed there),
 *                  table of contents (h2–h4) and word count
 *  8. stringify    rehype-stringify
 */
import rehypeAutolinkHeadings from 'rehype-autolink-headings';
import rehypeHighlight from 'rehype-highlight';
import rehypeSanitize from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import {
  HEADING_ANCHOR_CLASS,
  isFootnoteLabel,
  readRenderMeta,
  rehypeCollectMeta,
  rehypeFigures,
  rehypeMediaAndLinks,
  rehypeMediaImages,
  rehypeRawWhenNeeded,
  rehypeResolveFragments,
  type TocEntry,
} from './plugins';
import { guardMarkdown, MarkdownTooLargeError } from './guard';
import { EMBEDS_KEY, readExcerpt, rehypeCallouts, rehypeEmbeds, rehypeExcerpt, remarkMoreMarker } from './publication';
import type { EmbedCard } from '../embeds/providers';
import { sanitizeSchema } from './sanitize-schema';
import { readingMinutes } from './words';

export { countWords, readingMinutes } from './words';
export { estimateRenderMicros, MarkdownTooLargeError, MAX_MARKDOWN_CHARS, MAX_NESTING_DEPTH, MAX_RENDER_MICROS, type MarkdownTooLargeReason } from './guard';
export { sanitizeSchema } from './sanitize-schema';
export type { TocEntry } from './plugins';
export { CALLOUT_LABELS, MAX_EXCERPT_CHARS } from './publication';
export type { EmbedCard } from '../embeds/providers';

/**
 * Version of the HTML this module produces. Bump it whenever a change here changes the output
 * for the same markdown, so stored renders can be found and re-rendered.
 */
// 2: dimensions and srcset for uploaded images (lib/media)
// 3: a paragraph of just one titled image is a <figure> with the title as <figcaption>
// 4: callouts, embed link cards, the `<!--more-->` excerpt
export const RENDERER_VERSION = 4;

/** `excerpt`: the plain text above `<!--more-->`, '' without the marker. */
export type Rendered = { html: string; toc: TocEntry[]; wordCount: number; readingMinutes: number; excerpt: string };

/** The embeds a save resolved, by URL as written (lib/embeds); absent ones render as cards without a thumbnail. */
export type EmbedMap = ReadonlyMap<string, EmbedCard>;

/**
 * The GFM constructs that cost time on every line or word even when a document cannot contain them
 * (the email autolink is attempted at every word, the table at every paragraph line). Each is left out
 * of the parser when the characters it needs are absent, which changes no output: an email autolink
 * needs `@`, a table a `|` or a `:-`/`-:` delimiter cell, a footnote `[^`, strikethrough `~`. On
 * ordinary prose this halves parsing time (see tests/unit/hostile-input.test.ts).
 */
export type GfmFeatures = { email: boolean; table: boolean; footnote: boolean; strikethrough: boolean };

export function gfmFeaturesOf(markdown: string): GfmFeatures {
  return {
    email: markdown.includes('@'),
    table: markdown.includes('|') || markdown.includes(':-') || markdown.includes('-:'),
    footnote: markdown.includes('[^'),
    strikethrough: markdown.includes('~'),
  };
}

const ALL_GFM: GfmFeatures = { email: true, table: true, footnote: true, strikethrough: true };

type Construct = { name?: string };
type ConstructMap = Record<string, Construct | Construct[]>;

/** Runs after remark-gfm: drops the micromark constructs of the features the document cannot use. */
function remarkGfmOnly(this: { data: (key: string) => unknown }, features: GfmFeatures) {
  const unused = new Set<string>();
  if (!features.email) unused.add('emailAutolink');
  if (!features.table) unused.add('table');
  if (!features.footnote) ['gfmFootnoteCall', 'gfmPotentialFootnoteCall', 'gfmFootnoteDefinition'].forEach((n) => unused.add(n));
  if (!features.strikethrough) unused.add('strikethrough');
  if (unused.size === 0) return;
  const filter = (map: ConstructMap | undefined): ConstructMap | undefined => {
    if (!map) return map;
    const kept: ConstructMap = {};
    for (const [code, value] of Object.entries(map)) {
      const list = (Array.isArray(value) ? value : [value]).filter((construct) => !unused.has(construct.name ?? ''));
      if (list.length > 0) kept[code] = list;
    }
    return kept;
  };
  const extensions = this.data('micromarkExtensions') as Record<string, ConstructMap | undefined>[];
  for (const [index, extension] of extensions.entries()) {
    extensions[index] = { ...extension, text: filter(extension.text), flow: filter(extension.flow), document: filter(extension.document) };
  }
}

function createProcessor(features: GfmFeatures) {
  return (
    unified()
      // 1. Parse markdown + GitHub extensions (those the document can use).
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkGfmOnly, features)
      .use(remarkMoreMarker)
      // 2. Markdown AST → HTML AST, keeping inline HTML so rehype-raw can parse it (and step 3 filter it).
      //    Footnote ids are generated without a prefix: the sanitiser adds `user-content-` to every id,
      //    so the prefix ends up applied exactly once (links are fixed in rehypeResolveFragments).
      .use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: '' })
      .use(rehypeRawWhenNeeded)
      // 3. Sanitise everything that came from the author.
      .use(rehypeSanitize, sanitizeSchema)
      // 4. Heading ids and anchors (ours, so after sanitising), then in-page links.
      .use(rehypeSlug)
      .use(rehypeAutolinkHeadings, {
        behavior: 'append',
        test: (element) => !isFootnoteLabel(element),
        properties: { className: [HEADING_ANCHOR_CLASS], ariaLabel: 'Link to this section' },
        content: { type: 'text', value: '#' },
      })
      .use(rehypeResolveFragments)
      // 5. Server-side syntax highlighting; unknown languages are left as plain code.
      .use(rehypeHighlight, { detect: false })
      // 6. Captioned images as figures and callouts (our markup, after sanitising), then images and
      //    external links, then embed cards (which size and mark their own thumbnail and link).
      .use(rehypeFigures)
      .use(rehypeCallouts)
      .use(rehypeMediaAndLinks)
      .use(rehypeMediaImages)
      .use(rehypeEmbeds)
      // 7. Excerpt, table of contents + word count.
      .use(rehypeExcerpt)
      .use(rehypeCollectMeta)
      // 8. Serialise.
      .use(rehypeStringify)
      .freeze()
  );
}

type Processor = ReturnType<typeof createProcessor>;

/** One frozen processor per combination of features, built when first needed (at most 16). */
const processors = new Map<string, Processor>();

function processorFor(features: GfmFeatures): Processor {
  const key = JSON.stringify(features);
  let processor = processors.get(key);
  if (!processor) {
    processor = createProcessor(features);
    processors.set(key, processor);
  }
  return processor;
}

/**
 * Render markdown to sanitised HTML plus its table of contents and reading stats.
 *
 * `wordCount` counts the words of the rendered plain text (code included; heading anchors,
 * footnote numbers/back-links and image alt text excluded) — see `rehypeCollectMeta`.
 *
 * `embeds` are the link cards' resolved data (lib/embeds resolves them when a post is saved).
 *
 * `allGfmFeatures` parses with every GFM construct whatever the input holds: the reference that
 * `gfmFeaturesOf` is tested against (the output must be the same).
 *
 * Throws `MarkdownTooLargeError` when the input is longer than `MAX_MARKDOWN_CHARS`
 * (`reason: 'length'`) or has a shape that would take the parser far too long or nest too deeply
 * for the tree utilities (`reason: 'complexity'`, see ./guard.ts). Blockquote/list nesting deeper
 * than `MAX_NESTING_DEPTH` is rendered as text rather than rejected.
 */
export async function renderMarkdown(markdown: string, options: { allGfmFeatures?: boolean; embeds?: EmbedMap } = {}): Promise<Rendered> {
  if (typeof markdown !== 'string') throw new TypeError('renderMarkdown expects a string');
  const input = guardMarkdown(markdown);

  let file: Awaited<ReturnType<Processor['process']>>;
  try {
    const data = options.embeds ? { [EMBEDS_KEY]: options.embeds } : {};
    file = await processorFor(options.allGfmFeatures ? ALL_GFM : gfmFeaturesOf(input)).process({ value: input, data });
  } catch (error) {
    // The unified utilities recurse once per nesting level; deeply nested raw HTML
    // (`<div><div><div>…`) or indentation-nested lists can exhaust the stack.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new MarkdownTooLargeError('Markdown is too complex to render: it is nested too deeply.', 'complexity', markdown.length);
    }
    throw error;
  }
  const { toc, wordCount } = readRenderMeta(file);
  return { html: String(file), toc, wordCount, readingMinutes: readingMinutes(wordCount), excerpt: readExcerpt(file) };
}
