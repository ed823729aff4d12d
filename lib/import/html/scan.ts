/**
 * Linear scans over raw HTML for the string-level WordPress steps (shortcodes, oEmbed lines) and
 * the nesting cap. Deliberately small: everything structural is left to rehype-parse.
 */

/** Elements whose content is never markup for us: shortcodes inside them are text. */
const OPAQUE = ['pre', 'code', 'script', 'style', 'textarea', 'xmp'];

export const MASK = '\u0001';

/**
 * `html` with every tag, comment and the content of `<pre>`, `<code>`, `<script>`, `<style>`…
 * replaced by `MASK` characters of the same length, so a regex over the result only sees text that
 * a reader would see (positions map one to one onto `html`).
 */
export function maskMarkup(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let cursor = 0;
  let index = 0;
  for (;;) {
    const lt = html.indexOf('<', index);
    if (lt < 0) break;
    let end: number;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      end = close < 0 ? html.length : close + 3;
    } else if (/^<\/?[a-z!?]/i.test(html.slice(lt, lt + 3))) {
      const gt = html.indexOf('>', lt);
      // No `>` anywhere after: the rest is text (and no later `<` can be a tag either).
      if (gt < 0) break;
      end = gt + 1;
      const name = /^<([a-z][a-z0-9]*)/i.exec(lower.slice(lt, Math.min(gt, lt + 12)))?.[1];
      if (name && OPAQUE.includes(name)) {
        const close = lower.indexOf(`</${name}`, end);
        const closeEnd = close < 0 ? -1 : lower.indexOf('>', close);
        end = closeEnd < 0 ? html.length : closeEnd + 1;
      }
    } else {
      index = lt + 1;
      continue;
    }
    out += html.slice(cursor, lt) + MASK.repeat(end - lt);
    cursor = end;
    index = end;
  }
  return out + html.slice(cursor);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Tags with optional end tags: a new one closes the open one (`<li>…<li>`), approximately as HTML does. */
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'noscript', 'iframe', 'noembed', 'noframes']);

/**
 * Drops the tags (not the text) of elements nested deeper than `maxDepth`, before parsing: the hast
 * utilities recurse once per level, and 5,000 nested `<div>`s overflow the stack in the parser
 * itself. Depth is tracked approximately (implied end tags of `p`, `li`, `td`… are honoured), so it
 * can only over-count. Returns the input unchanged when nothing is that deep.
 */
export function capNesting(html: string, maxDepth: number): { html: string; capped: boolean } {
  const stack: Array<{ name: string; kept: boolean }> = [];
  const lower = html.toLowerCase();
  const tag = /<(\/?)([a-z][a-z0-9-]*)\b[^<>]*>|<!--/g;
  let out = '';
  let cursor = 0;
  let capped = false;
  for (let match = tag.exec(lower); match; match = tag.exec(lower)) {
    if (match[0] === '<!--') {
      const close = lower.indexOf('-->', match.index + 4);
      tag.lastIndex = close < 0 ? lower.length : close + 3;
      continue;
    }
    const [whole, slash, name] = match;
    let keep = true;
    if (slash) {
      // Pop to the nearest open element of that name (looking a bounded way down the stack).
      let found = -1;
      for (let index = stack.length - 1; index >= Math.max(0, stack.length - 64); index -= 1) {
        if (stack[index].name === name) {
          found = index;
          break;
        }
      }
      if (found >= 0) {
        keep = stack[found].kept;
        stack.length = found;
      }
    } else if (!VOID.has(name) && !whole.endsWith('/>')) {
      if (SELF_CLOSING_SIBLINGS.has(name) && stack.length > 0 && stack[stack.length - 1].name === name) stack.pop();
      keep = stack.length < maxDepth;
      stack.push({ name, kept: keep });
      if (RAW_TEXT.has(name)) {
        const close = lower.indexOf(`</${name}`, tag.lastIndex);
        // Unclosed: the rest of the document is that element's text.
        if (close < 0) break;
        tag.lastIndex = close;
      }
    } else {
      keep = stack.length < maxDepth;
    }
    if (!keep) {
      capped = true;
      out += html.slice(cursor, match.index);
      cursor = match.index + whole.length;
    }
  }
  return capped ? { html: out + html.slice(cursor), capped } : { html, capped };
}
