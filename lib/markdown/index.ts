/**
 * The one markdown → HTML pipeline for Broadsheet (articles, editor preview, re-rendering).
 *
 * Pure Node: no DOM, no `server-only`, no client JavaScript in the output. The processor is built
 * once at module load, frozen, and reused for every call.
 *
 * Steps, in order:
 *  1. parse        remark-parse + remark-gfm (tables, strikethrough, task lists, footnotes, autolinks)
 *  2. to HTML tree remark-rehype (`allowDangerousHtml`) + rehype-raw (skipped when there is no
 *                  inline HTML): inline HTML is parsed…
 *  3. sanitise     …and then filtered by rehype-sanitize with `sanitizeSchema` (./sanitize-schema.ts)
 *  4. headings     rehype-slug (ids) + rehype-autolink-headings (appended `#` anchor), then
 *                  `#fragment` links are pointed at the sanitised (prefixed) ids
 *  5. highlight    rehype-highlight (lowlight, common languages, no auto-detection)
 *  6. media/links  lazy images, `rel="noopener noreferrer"` on external links; our own uploaded
 *                  images get width/height from their URL plus a WebP srcset/sizes
 *  7. collect      table of contents (h2–h4) and word count
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
  rehypeMediaAndLinks,
  rehypeMediaImages,
  rehypeRawWhenNeeded,
  rehypeResolveFragments,
  type TocEntry,
} from './plugins';
import { guardMarkdown, MarkdownTooLargeError } from './guard';
import { sanitizeSchema } from './sanitize-schema';
import { readingMinutes } from './words';

export { countWords, readingMinutes } from './words';
export {
  MarkdownTooLargeError,
  MAX_MARKDOWN_CHARS,
  MAX_NESTING_DEPTH,
  type MarkdownTooLargeReason,
} from './guard';
export { sanitizeSchema } from './sanitize-schema';
export type { TocEntry } from './plugins';

/**
 * Version of the HTML this module produces. Bump it whenever a change here changes the output
 * for the same markdown, so stored renders can be found and re-rendered.
 */
export const RENDERER_VERSION = 2; // 2: dimensions and srcset for uploaded images (lib/media)

export type Rendered = { html: string; toc: TocEntry[]; wordCount: number; readingMinutes: number };

const processor = unified()
  // 1. Parse markdown + GitHub extensions.
  .use(remarkParse)
  .use(remarkGfm)
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
  // 6. Images and external links.
  .use(rehypeMediaAndLinks)
  .use(rehypeMediaImages)
  // 7. Table of contents + word count.
  .use(rehypeCollectMeta)
  // 8. Serialise.
  .use(rehypeStringify)
  .freeze();

/**
 * Render markdown to sanitised HTML plus its table of contents and reading stats.
 *
 * `wordCount` counts the words of the rendered plain text (code included; heading anchors,
 * footnote numbers/back-links and image alt text excluded) — see `rehypeCollectMeta`.
 *
 * Throws `MarkdownTooLargeError` when the input is longer than `MAX_MARKDOWN_CHARS`
 * (`reason: 'length'`) or has a shape that would take the parser far too long or nest too deeply
 * for the tree utilities (`reason: 'complexity'`, see ./guard.ts). Blockquote/list nesting deeper
 * than `MAX_NESTING_DEPTH` is rendered as text rather than rejected.
 */
export async function renderMarkdown(markdown: string): Promise<Rendered> {
  if (typeof markdown !== 'string') throw new TypeError('renderMarkdown expects a string');
  const input = guardMarkdown(markdown);

  let file: Awaited<ReturnType<typeof processor.process>>;
  try {
    file = await processor.process(input);
  } catch (error) {
    // The unified utilities recurse once per nesting level; deeply nested raw HTML
    // (`<div><div><div>…`) or indentation-nested lists can exhaust the stack.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new MarkdownTooLargeError(
        'Markdown is too complex to render: it is nested too deeply.',
        'complexity',
        markdown.length,
      );
    }
    throw error;
  }
  const { toc, wordCount } = readRenderMeta(file);
  return { html: String(file), toc, wordCount, readingMinutes: readingMinutes(wordCount) };
}
