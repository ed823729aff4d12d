/**
 * Input guards that run before parsing, in one linear pass over the lines.
 *
 * The markdown parser (micromark) is linear on ordinary text but has a few shapes that cost much
 * more, and the HTML-tree utilities after it recurse once per nesting level:
 *
 * - deep container nesting (`>>>>>…`, `- - - - … x`, lists indented hundreds of levels deep) →
 *   very slow parsing and stack overflows.
 *   Handled by *rendering less deeply*: container markers beyond `MAX_NESTING_DEPTH` on a line
 *   are backslash-escaped, so they show up as literal text instead of another level.
 * - one paragraph with thousands of `*` / `_` / `~` delimiters (`*a*a*a…`) → quadratic
 *   emphasis/strikethrough resolution (40 KB of `*a` takes well over 10 s); thousands of `[`
 *   (`[a]([a](…`) are super-linear too. Rejected.
 * - a single list with tens of thousands of items → super-linear (40,000 one-word items took over
 *   a minute here, 20,000 took 6 s). Rejected above `MAX_LIST_ITEMS`.
 * - thousands of setext headings (`Title\n=====`) → quadratic heading resolution. Rejected when
 *   (setext headings × lines) exceeds a budget no real article comes near.
 * - everything else is linear, but with very different costs per construct: a 5,000-row table,
 *   5,000 reference links, 20,000 inline HTML tags or 3,000 footnotes each take several seconds, and
 *   one paragraph of thousands of lines is quadratic inside micromark (merging its text events).
 *   The same pass adds up an *estimate of the render time* (`RENDER_COST`, calibrated against the
 *   real pipeline) and refuses documents over `MAX_RENDER_MICROS`, so every accepted document
 *   renders within the 2-second ceiling of issue 5 (tests/unit/hostile-input.test.ts renders the
 *   largest accepted document of each costly shape and checks its time).
 *
 * Rejections throw `MarkdownTooLargeError` with `reason: 'complexity'`; input longer than
 * `MAX_MARKDOWN_CHARS` throws it with `reason: 'length'`.
 */

/** Largest accepted input, in UTF-16 code units (`string.length`). */
export const MAX_MARKDOWN_CHARS = 1_000_000;

/** Deepest blockquote/list nesting written on a single line; deeper markers become text. */
export const MAX_NESTING_DEPTH = 32;

/**
 * Most inline-markup characters (`*`, `~`, `[`, and `_` that is not inside a word) in one paragraph.
 * Approximated as: lines since the last blank line, list item, heading or definition; table rows
 * count one by one.
 */
export const MAX_DELIMITERS_PER_PARAGRAPH = 3_000;

/** Most items in one list (a single list's cost grows faster than linearly with its length). */
export const MAX_LIST_ITEMS = 10_000;

/** Budget for setext headings × total lines (quadratic cost in the parser). */
export const MAX_SETEXT_COST = 4_000_000;

/**
 * Estimated microseconds of render time per thing counted, measured on the 2 shared cores this was
 * written on (CPU time of the whole pipeline, per construct, on documents made of little else).
 * Deliberately pessimistic: ordinary articles come out at about their real cost or above.
 */
export const RENDER_COST = {
  /** Each non-blank line outside fenced code: a block, a lazy line, a table row… */
  line: 150,
  /** On top of `line`: an ATX heading (ids, anchors, contents) and a list item. */
  heading: 100,
  listItem: 150,
  /** Each character (tokenising, HTML, sanitising, serialising). */
  char: 0.45,
  /** Each word; more when the document has an `@` (an email autolink is attempted at every word). */
  word: 1.5,
  wordWithEmail: 4.5,
  /** Each `[` (link, image, reference, task), `*` / `_` / `~` (emphasis), `<` (HTML tag), `|` (table cell), backtick run, `&`. */
  bracket: 240,
  emphasis: 60,
  tag: 110,
  cell: 110,
  codeSpan: 50,
  entity: 30,
  /** Each `://` or `www.` (a literal autolink). */
  autolink: 90,
  /** Each `[^` (footnote call or definition), on top of its bracket. */
  footnote: 600,
  /** Each `>` or list marker that opens or continues a container at the start of a line. */
  container: 15,
  /** On top of that, a quote that starts after a blank line (a callout is one): its own blocks, ~0.6 ms each. */
  quote: 600,
  /** Each space or tab before a line's content (deeply indented lists are paid per column). */
  indent: 4,
  /** Each line of fenced code (highlighted). */
  codeLine: 80,
  /** Lines × characters of each paragraph (quadratic in micromark: see the header). */
  paragraphArea: 0.0012,
} as const;

/** Largest accepted estimate: 1.5 s of the 2 s ceiling, the rest is margin for a busy server. */
export const MAX_RENDER_MICROS = 1_500_000;

export type MarkdownTooLargeReason = 'length' | 'complexity';

export class MarkdownTooLargeError extends Error {
  /** `length`: over `MAX_MARKDOWN_CHARS`; `complexity`: a shape the renderer refuses (see guard.ts). */
  readonly reason: MarkdownTooLargeReason;
  /** Length of the rejected markdown. */
  readonly length: number;

  constructor(message: string, reason: MarkdownTooLargeReason, length: number) {
    super(message);
    this.name = 'MarkdownTooLargeError';
    this.reason = reason;
    this.length = length;
  }
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const BLANK = /^[ \t]*$/;
const QUOTE_START = /^ {0,3}>/;
// Lines that start a new block (list item, ATX heading, link/footnote definition): inline content is
// parsed per block, so the delimiter count starts again. Each pattern is anchored and linear.
const LIST_ITEM_START = /^[ \t>]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const ATX_HEADING = /^[ \t>]*#{1,6}(?:[ \t]|$)/;
const DEFINITION_START = /^[ \t>]*\[[^\]\n]*\]:/;
// GFM table delimiter row, e.g. `| --- | :-: |` or `---|---`.
// Written so that no two quantifiers can match the same characters (no super-linear backtracking).
const TABLE_DELIMITER_ROW = /^[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?$/;

function isWordChar(code: number): boolean {
  // ASCII letters/digits, and anything non-ASCII (letters of other scripts): good enough to tell
  // intraword `_` (snake_case, base64url), which can never open or close emphasis.
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127;
}

/** Number of `*`, `~`, `[` and non-intraword `_` characters in a line. */
function countDelimiters(line: string): number {
  let count = 0;
  for (let index = 0; index < line.length; index += 1) {
    const code = line.charCodeAt(index);
    if (code === 42 /* * */ || code === 126 /* ~ */ || code === 91 /* [ */) {
      count += 1;
    } else if (code === 95 /* _ */) {
      const before = index > 0 ? line.charCodeAt(index - 1) : 32;
      const after = index + 1 < line.length ? line.charCodeAt(index + 1) : 32;
      if (!(isWordChar(before) && isWordChar(after))) count += 1;
    }
  }
  return count;
}

/** Estimated render cost (µs) of the inline content of one line outside fenced code: see `RENDER_COST`. */
function inlineCost(line: string, email: boolean): number {
  let words = 0;
  let brackets = 0;
  let emphasis = 0;
  let tags = 0;
  let cells = 0;
  let codeSpans = 0;
  let entities = 0;
  let autolinks = 0;
  let footnotes = 0;
  let previous = 32;
  for (let index = 0; index < line.length; index += 1) {
    const code = line.charCodeAt(index);
    if (isWordChar(code)) {
      if (!isWordChar(previous)) {
        words += 1;
        if ((code === 119 || code === 87) /* w */ && /^www\./i.test(line.slice(index, index + 4))) autolinks += 1;
      }
    } else if (code === 58 /* : */ && line.charCodeAt(index + 1) === 47 && line.charCodeAt(index + 2) === 47) {
      autolinks += 1;
    } else if (code === 38 /* & */) {
      entities += 1;
    } else if (code === 91 /* [ */) {
      brackets += 1;
      if (line.charCodeAt(index + 1) === 94 /* ^ */) footnotes += 1;
    } else if (code === 42 /* * */ || code === 126 /* ~ */ || code === 95 /* _ */) {
      emphasis += 1;
    } else if (code === 60 /* < */) {
      tags += 1;
    } else if (code === 124 /* | */) {
      cells += 1;
    } else if (code === 96 /* ` */ && previous !== 96) {
      codeSpans += 1;
    }
    previous = code;
  }
  const c = RENDER_COST;
  return (
    line.length * c.char +
    words * (email ? c.wordWithEmail : c.word) +
    brackets * c.bracket +
    emphasis * c.emphasis +
    tags * c.tag +
    cells * c.cell +
    codeSpans * c.codeSpan +
    entities * c.entity +
    autolinks * c.autolink +
    footnotes * c.footnote
  );
}

/** Estimated cost (µs) of the start of a line: `>` and list markers, and the whitespace around them. */
function prefixCost(line: string): number {
  let markers = 0;
  let whitespace = 0;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (char === ' ' || char === '\t') whitespace += 1;
    else if (char === '>') markers += 1;
    else if ((char === '-' || char === '+' || char === '*') && (line[index + 1] === ' ' || line[index + 1] === '\t')) markers += 1;
    else break;
  }
  return markers * RENDER_COST.container + whitespace * RENDER_COST.indent;
}

/**
 * Escape blockquote/list markers that would nest deeper than `MAX_NESTING_DEPTH` at the start of
 * `line`. Returns the line unchanged when it is not nested that deeply.
 *
 * Depth is estimated from the line alone: one level per `>` or list marker, plus one level per two
 * columns of indentation before the first list marker (nested list items must be indented at
 * least that much under their parent). The estimate may be a level or two high for unusual
 * indentation, which is fine for a cap this far above real documents. An escaped marker renders as
 * its literal character (`\-` → `-`), and everything after it is text of the deepest kept level.
 */
function limitLineNesting(line: string): string {
  const length = line.length;
  let position = 0;
  let markers = 0;
  let indent = 0;
  let seenListMarker = false;
  let afterQuote = false;
  while (position < length) {
    let whitespace = 0;
    while (position < length && (line[position] === ' ' || line[position] === '\t')) {
      whitespace += line[position] === '\t' ? 4 : 1;
      position += 1;
    }
    if (position >= length) return line;
    if (!seenListMarker) indent += afterQuote && whitespace > 0 ? whitespace - 1 : whitespace;

    const char = line[position];
    let markerEnd = -1; // index just past the marker
    let escapeAt = position; // where the backslash goes
    if (char === '>') {
      markerEnd = position + 1;
    } else if (char === '-' || char === '+' || char === '*') {
      const next = line[position + 1];
      if (next === undefined || next === ' ' || next === '\t') markerEnd = position + 1;
    } else if (char >= '0' && char <= '9') {
      let end = position;
      while (end < length && end - position < 9 && line[end] >= '0' && line[end] <= '9') end += 1;
      const next = line[end + 1];
      if ((line[end] === '.' || line[end] === ')') && (next === undefined || next === ' ' || next === '\t')) {
        markerEnd = end + 1;
        escapeAt = end; // `12\.` — escaping the dot makes it text
      }
    }
    if (markerEnd < 0) return line;

    markers += 1;
    if (markers + Math.floor(indent / 2) > MAX_NESTING_DEPTH) {
      return line.slice(0, escapeAt) + '\\' + line.slice(escapeAt);
    }
    afterQuote = char === '>';
    if (!afterQuote) seenListMarker = true;
    position = markerEnd;
  }
  return line;
}

/**
 * Check the input and cap nesting. Returns the markdown to render (the input itself unless some
 * line was nested deeper than `MAX_NESTING_DEPTH`). Throws `MarkdownTooLargeError`.
 *
 * Fenced code is only recognised at the top level (not inside lists or quotes); that is enough to
 * keep code samples out of the delimiter count in practice, and the limits are far above anything
 * an article needs.
 */
export function guardMarkdown(markdown: string): string {
  const { output, micros } = inspectMarkdown(markdown);
  if (micros > MAX_RENDER_MICROS) {
    throw new MarkdownTooLargeError(
      `Markdown is too complex to render in time: rendering it would take about ${(micros / 1e6).toFixed(1)} s ` +
        `(limit ${MAX_RENDER_MICROS / 1e6} s). Split it into shorter posts, or use fewer links, tables, ` +
        `footnotes and HTML tags (very long paragraphs also count: separate them with blank lines).`,
      'complexity',
      markdown.length,
    );
  }
  return output;
}

/**
 * The estimated render time of `markdown` in microseconds (see `RENDER_COST`), without refusing
 * it for that. Still throws for the other limits.
 */
export function estimateRenderMicros(markdown: string): number {
  return inspectMarkdown(markdown).micros;
}

function inspectMarkdown(markdown: string): { output: string; micros: number } {
  if (markdown.length > MAX_MARKDOWN_CHARS) {
    throw new MarkdownTooLargeError(`Markdown is too large to render: ${markdown.length} characters (limit ${MAX_MARKDOWN_CHARS}).`, 'length', markdown.length);
  }

  const lines = markdown.split(/\r\n|\r|\n/);
  let changed = false;
  let fence: { char: string; size: number } | undefined;
  let paragraphDelimiters = 0;
  let setextHeadings = 0;
  let previousBlank = true;
  let previousHasPipe = false;
  // Table cells are parsed one by one, so inside a table delimiters are counted per row.
  let inTable = false;
  // Items since the current list (approximately) started; a list ends at an unindented
  // non-list line after a blank line (lazy continuation lines cannot end it).
  let listItems = 0;
  // The render-time estimate (µs, see RENDER_COST), and the current paragraph's lines and characters.
  const email = markdown.includes('@');
  let micros = 0;
  let paragraphLines = 0;
  let paragraphChars = 0;
  const endParagraph = () => {
    micros += paragraphLines * paragraphChars * RENDER_COST.paragraphArea;
    paragraphLines = 0;
    paragraphChars = 0;
  };

  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];

    if (fence) {
      micros += RENDER_COST.codeLine + line.length * RENDER_COST.char;
      const close = FENCE_OPEN.exec(line);
      if (close && close[1][0] === fence.char && close[1].length >= fence.size && BLANK.test(line.slice(close[0].length))) {
        fence = undefined;
      }
      previousBlank = false;
      previousHasPipe = false;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open && !(open[1][0] === '`' && line.slice(open[0].length).includes('`'))) {
      fence = { char: open[1][0], size: open[1].length };
      endParagraph();
      paragraphDelimiters = 0;
      inTable = false;
      previousBlank = false;
      previousHasPipe = false;
      continue;
    }

    if (BLANK.test(line)) {
      endParagraph();
      paragraphDelimiters = 0;
      inTable = false;
      previousBlank = true;
      previousHasPipe = false;
      continue;
    }

    if (!previousBlank && SETEXT_UNDERLINE.test(line)) setextHeadings += 1;
    const hasPipe = line.includes('|');
    if (!inTable && previousHasPipe && TABLE_DELIMITER_ROW.test(line)) {
      inTable = true;
    }
    const listItemStart = LIST_ITEM_START.test(line);
    if (listItemStart) {
      listItems += 1;
      if (listItems > MAX_LIST_ITEMS) {
        throw new MarkdownTooLargeError(
          `Markdown is too complex to render: a list near line ${index + 1} has more than ${MAX_LIST_ITEMS} items.`,
          'complexity',
          markdown.length,
        );
      }
    } else if (previousBlank && line[0] !== ' ' && line[0] !== '\t') {
      listItems = 0;
    }
    if (inTable || listItemStart || ATX_HEADING.test(line) || DEFINITION_START.test(line)) {
      paragraphDelimiters = 0;
      endParagraph();
    }
    previousHasPipe = hasPipe;
    micros +=
      RENDER_COST.line +
      (listItemStart ? RENDER_COST.listItem : 0) +
      (ATX_HEADING.test(line) ? RENDER_COST.heading : 0) +
      (previousBlank && QUOTE_START.test(line) ? RENDER_COST.quote : 0) +
      inlineCost(line, email) +
      prefixCost(line);
    paragraphLines += 1;
    paragraphChars += line.length;

    if (!THEMATIC_BREAK.test(line)) {
      paragraphDelimiters += countDelimiters(line);
      if (paragraphDelimiters > MAX_DELIMITERS_PER_PARAGRAPH) {
        throw new MarkdownTooLargeError(
          `Markdown is too complex to render: a paragraph near line ${index + 1} has more than ` +
            `${MAX_DELIMITERS_PER_PARAGRAPH} emphasis or link markers (*, _, ~, [).`,
          'complexity',
          markdown.length,
        );
      }
      const limited = limitLineNesting(line);
      if (limited !== line) {
        lines[index] = limited;
        changed = true;
      }
    }
    previousBlank = false;
  }

  if (setextHeadings * lines.length > MAX_SETEXT_COST) {
    throw new MarkdownTooLargeError(
      `Markdown is too complex to render: ${setextHeadings} underlined (setext) headings in ` + `${lines.length} lines; use "#" headings instead.`,
      'complexity',
      markdown.length,
    );
  }
  endParagraph();

  return { output: changed ? lines.join('\n') : markdown, micros };
}
