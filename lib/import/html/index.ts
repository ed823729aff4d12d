/**
 * One imported body (WordPress or Ghost HTML) → our markdown, through the unified ecosystem:
 *
 *  1. wordpress   string level, as WordPress itself does it: shortcodes (./shortcodes.ts), then for
 *                 classic-editor bodies (no block markup) oEmbed lines and wpautop (./wpautop.ts)
 *  2. cap         tags nested deeper than `MAX_HTML_DEPTH` are dropped (text kept): the hast
 *                 utilities, the parser's included, recurse once per level
 *  3. parse       rehype-parse (fragment); the first `<!--more-->` is kept as a placeholder (./more.ts)
 *  4. dropped     report what our sanitiser would drop; remove comments, script/style/iframe…
 *                 with their content and refused URLs (./dropped.ts)
 *  5. footnotes   three reference/list shapes → GFM footnote nodes (./footnotes.ts)
 *  6. media       code languages, absolute URLs, audio/video → links, figures and galleries →
 *                 captioned images, oEmbed paragraphs → links (./media.ts)
 *  7. to mdast    rehype-remark (with the footnote handlers)
 *  8. images      every image URL of the result, in order, deduped
 *  9. stringify   remark-stringify + remark-gfm (tables, footnotes, strikethrough); it escapes
 *                 whatever in the text would otherwise be markdown or HTML; the placeholder's line
 *                 becomes `<!--more-->`
 *
 * Pure: no I/O. The processors are built once and reused (an import runs this thousands of times).
 */
import type { Root as MdastRoot } from 'mdast';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { BodyConverter } from '../types';
import { DroppedReport, removeDropped } from './dropped';
import { convertFootnotes, footnoteHandlers } from './footnotes';
import { convertFigures, linkBareUrlParagraphs, mediaToLinks, normalizeCode, normalizeLinksAndImages } from './media';
import { markReadMore, writeReadMore } from './more';
import { capNesting } from './scan';
import { expandShortcodes, linkBareUrlLines } from './shortcodes';
import { hasBlockMarkup, wpautop } from './wpautop';

export { absoluteUrl } from './media';
export { wpautop } from './wpautop';

/**
 * Deepest element nesting kept. Real posts stay under ~20 (wrappers included); 5,000 nested
 * `<div>`s overflow the stack inside the parser.
 */
export const MAX_HTML_DEPTH = 64;

const htmlParser = unified().use(rehypeParse, { fragment: true }).freeze();

const toMarkdown = unified()
  .use(rehypeRemark, { handlers: footnoteHandlers })
  .use(remarkGfm)
  .use(remarkStringify, {
    bullet: '-',
    emphasis: '_',
    strong: '*',
    fence: '`',
    fences: true,
    rule: '-',
    listItemIndent: 'one',
    // `[https://x](https://x)` rather than `<https://x>`: one link syntax throughout.
    resourceLink: true,
  })
  .freeze();

function imagesOf(tree: MdastRoot): string[] {
  const urls = new Set<string>();
  visit(tree, 'image', (node) => {
    if (node.url) urls.add(node.url);
  });
  return [...urls];
}

export const convertBody: BodyConverter = (html, options) => {
  const wordpress = options.format === 'wordpress';
  const report = new DroppedReport();

  // 1. WordPress's own string-level steps.
  let source = html;
  let shortcodes: string[] = [];
  if (wordpress) {
    const attachments = options.attachments;
    const expanded = expandShortcodes(source, attachments ? (id) => attachments.get(id) : undefined);
    source = expanded.html;
    shortcodes = expanded.shortcodes;
    if (!hasBlockMarkup(source)) source = wpautop(linkBareUrlLines(source));
  }

  // 2. Nesting cap.
  const capped = capNesting(source, MAX_HTML_DEPTH);
  if (capped.capped) report.add(`elements nested deeper than ${MAX_HTML_DEPTH} levels (tags dropped, text kept)`);

  // 3–6. Parse, then the hast steps.
  const tree = htmlParser.parse(capped.html);
  const readMore = markReadMore(tree);
  removeDropped(tree, report);
  convertFootnotes(tree);
  normalizeCode(tree);
  normalizeLinksAndImages(tree, options.siteUrl);
  mediaToLinks(tree);
  convertFigures(tree);
  if (wordpress) linkBareUrlParagraphs(tree);

  // 7–9. To markdown.
  const mdast = toMarkdown.runSync(tree) as MdastRoot;
  const images = imagesOf(mdast);
  const written = toMarkdown.stringify(mdast);
  const markdown = readMore ? writeReadMore(written) : written;
  return { markdown, images, dropped: report.list(), shortcodes };
};
