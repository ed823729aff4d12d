/**
 * Word counting shared by the renderer (rendered plain text) and the editor (raw markdown).
 *
 * A "word" is a run of letters/digits (any script), optionally joined by an apostrophe, hyphen,
 * underscore or dot (`don't`, `state-of-the-art`, `snake_case`, `example.com`, `3.14`). Each Han,
 * Hiragana or Katakana character counts as one word, since those scripts do not separate words
 * with spaces. Punctuation and markdown syntax (`#`, `*`, `|`, `>`, `-`) never count.
 */

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const WORD_CHAR = `(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])`;
const WORD = new RegExp(`[${CJK}]|${WORD_CHAR}+(?:['’._\\-]${WORD_CHAR}+)*`, 'gu');

export const WORDS_PER_MINUTE = 230;

/** Count the words in plain text. */
export function countWordsInText(text: string): number {
  WORD.lastIndex = 0;
  let count = 0;
  while (WORD.exec(text) !== null) count += 1;
  return count;
}

// Markdown-only syntax whose characters would otherwise look like words. Every pattern is linear
// (no nested quantifiers over overlapping classes), so this stays cheap on hostile input.
const FENCE_LINE = /^ {0,3}(?:`{3,}|~{3,})[^\n]*$/gm; // ```ts — the info string is not prose
const REFERENCE_DEFINITION = /^ {0,3}\[(?!\^)[^\]\n]+\]:[^\n]*$/gm; // [id]: https://… "title" (not footnotes)
const FOOTNOTE_LABEL = /\[\^[^\]\s[]+\]:?/g; // [^1] and [^1]: — rendered as a number / not at all
const IMAGE_ALT = /!\[[^\]\n[]*\]/g; // ![alt] (after destinations are gone) — alt text is not read
const LIST_MARKER = /^[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/gm; // `1. `, `- [x] ` — not words
const LINK_DESTINATION = /\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/g; // ](url "title")
const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g; // not <https://autolinks>
const CHARACTER_REFERENCE = /&(?:#\d{1,7}|#[xX][\dA-Fa-f]{1,6}|[A-Za-z][A-Za-z\d]{1,31});/g;

/** Remove `<!-- … -->` (an unclosed comment runs to the end), with indexOf: linear on any input. */
function stripHtmlComments(markdown: string): string {
  let start = markdown.indexOf('<!--');
  if (start < 0) return markdown;
  let result = '';
  let from = 0;
  while (start >= 0) {
    result += markdown.slice(from, start) + ' ';
    const end = markdown.indexOf('-->', start + 4);
    if (end < 0) return result;
    from = end + 3;
    start = markdown.indexOf('<!--', from);
  }
  return result + markdown.slice(from);
}

/**
 * Cheap word count straight from markdown (no parsing, no DOM) — for the editor's live counter.
 * Strips link/image destinations, image alt text, reference definitions, footnote labels, fence
 * info strings, list/task markers, HTML tags/comments and character references, then counts words in what is left
 * (code included). It approximates `renderMarkdown(...).wordCount`, which counts the rendered
 * text; for ordinary prose they agree.
 */
export function countWords(markdown: string): number {
  const text = stripHtmlComments(markdown)
    .replace(FENCE_LINE, ' ')
    .replace(REFERENCE_DEFINITION, ' ')
    .replace(LIST_MARKER, ' ')
    .replace(LINK_DESTINATION, '] ')
    .replace(IMAGE_ALT, ' ')
    .replace(FOOTNOTE_LABEL, ' ')
    .replace(HTML_TAG, ' ')
    .replace(CHARACTER_REFERENCE, ' ');
  return countWordsInText(text);
}

/** Minutes to read `words` words at 230 words per minute, rounded, never less than 1. */
export function readingMinutes(words: number): number {
  if (!Number.isFinite(words) || words <= 0) return 1;
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}
