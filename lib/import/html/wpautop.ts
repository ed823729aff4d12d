/**
 * WordPress's `wpautop` (wp-includes/formatting.php), ported for classic-editor bodies: blank lines
 * separate paragraphs, a single newline is a `<br>`. Not applied inside `<pre>`, and block-level
 * tags are never wrapped in or broken by `<p>`/`<br>`. WordPress applies it only to bodies without
 * block markup, and so do we (see `hasBlockMarkup`).
 *
 * Every pattern here is bounded by a tag or a line, so the cost stays linear on large bodies.
 */

const ALL_BLOCKS =
  '(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)';

const BLOCK_OPEN = new RegExp(`(<${ALL_BLOCKS}[\\s/>])`, 'gi');
const BLOCK_CLOSE = new RegExp(`(</${ALL_BLOCKS}>)`, 'gi');
const P_AROUND_BLOCK = new RegExp(`<p>\\s*(</?${ALL_BLOCKS}[^>]*>)\\s*</p>`, 'gi');
const P_BEFORE_BLOCK = new RegExp(`<p>\\s*(</?${ALL_BLOCKS}[^>]*>)`, 'gi');
const P_AFTER_BLOCK = new RegExp(`(</?${ALL_BLOCKS}[^>]*>)\\s*</p>`, 'gi');
const BR_AFTER_BLOCK = new RegExp(`(</?${ALL_BLOCKS}[^>]*>)\\s*<br />`, 'gi');

/** Block markup (Gutenberg) is stored with `<!-- wp:name -->` comments around every block. */
export function hasBlockMarkup(html: string): boolean {
  return html.includes('<!-- wp:');
}

export function wpautop(input: string): string {
  if (input.trim() === '') return '';
  let text = input.replace(/\r\n?/g, '\n') + '\n';

  // Take <pre> blocks out: nothing inside them changes.
  const preTags: string[] = [];
  if (text.includes('<pre')) {
    const lower = text.toLowerCase();
    let out = '';
    let cursor = 0;
    for (;;) {
      const start = lower.indexOf('<pre', cursor);
      if (start < 0) break;
      const close = lower.indexOf('</pre>', start);
      const end = close < 0 ? text.length : close + 6;
      out += text.slice(cursor, start) + `<pre wp-pre-tag-${preTags.length}></pre>`;
      preTags.push(text.slice(start, end));
      cursor = end;
    }
    text = out + text.slice(cursor);
  }

  text = text.replace(/<br\s*\/?>\s*<br\s*\/?>/gi, '\n\n');
  text = text.replace(BLOCK_OPEN, '\n\n$1');
  text = text.replace(BLOCK_CLOSE, '$1\n\n');
  text = text.replace(/(<hr\s*?\/?>)/gi, '$1\n\n');
  // Newlines inside tags are not line breaks.
  text = text.replace(/<[^<>]*>/g, (tag) => tag.replace(/\n/g, ' <!-- wpnl --> '));
  if (text.includes('<figcaption')) {
    const pieces = text.split('<figcaption');
    text = pieces.map((piece, index) => (index < pieces.length - 1 ? piece.trimEnd() : piece)).join('<figcaption');
    text = text.replace(/<\/figcaption>\s*/g, '</figcaption>');
  }
  text = text.replace(/\n\n+/g, '\n\n');

  text = text
    .split(/\n\s*\n/)
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => '<p>' + paragraph.replace(/^\n+|\n+$/g, '') + '</p>\n')
    .join('');

  text = text.replace(/<p>\s*<\/p>/g, '');
  text = text.replace(/<p>([^<]+)<\/(div|address|form)>/gi, '<p>$1</p></$2>');
  text = text.replace(P_AROUND_BLOCK, '$1');
  text = text.replace(/<p>(<li.+?)<\/p>/gi, '$1');
  text = text.replace(/<p><blockquote([^>]*)>/gi, '<blockquote$1><p>');
  text = text.replace(/<\/blockquote><\/p>/gi, '</p></blockquote>');
  text = text.replace(P_BEFORE_BLOCK, '$1');
  text = text.replace(P_AFTER_BLOCK, '$1');

  // Single newlines become <br />, except inside script/style/svg/math.
  text = preserveNewlinesIn(text, ['script', 'style', 'svg', 'math']);
  text = text.replace(/<br>|<br\/>/gi, '<br />');
  // `(?<!<br />)\s*\n` → `<br />\n`, written as a split so long runs of spaces stay linear.
  const lines = text.split('\n');
  text = lines
    .map((line, index) => {
      if (index === lines.length - 1) return line;
      const trimmed = line.trimEnd();
      return trimmed.endsWith('<br />') ? line : trimmed + '<br />';
    })
    .join('\n');
  text = text.replace(/<WPPreserveNewline \/>/g, '\n');

  text = text.replace(BR_AFTER_BLOCK, '$1');
  text = text.replace(/<br \/>(\s*<\/?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)/gi, '$1');
  text = text.replace(/\n<\/p>$/, '</p>');

  if (preTags.length > 0) text = text.replace(/<pre wp-pre-tag-(\d+)><\/pre>/g, (_, index: string) => preTags[Number(index)]);
  return text.replace(/ <!-- wpnl --> |<!-- wpnl -->/g, '\n');
}

/** Newlines inside these elements are kept as they are (marked, then restored after the `<br>` pass). */
function preserveNewlinesIn(text: string, names: string[]): string {
  const lower = text.toLowerCase();
  if (!names.some((name) => lower.includes('<' + name))) return text;
  let out = '';
  let cursor = 0;
  const open = new RegExp(`<(${names.join('|')})\\b`, 'g');
  for (let match = open.exec(lower); match; match = open.exec(lower)) {
    if (match.index < cursor) continue;
    const close = lower.indexOf(`</${match[1]}>`, match.index);
    if (close < 0) break;
    const end = close + match[1].length + 3;
    out += text.slice(cursor, match.index) + text.slice(match.index, end).replace(/\n/g, '<WPPreserveNewline />');
    cursor = end;
    open.lastIndex = end;
  }
  return out + text.slice(cursor);
}
