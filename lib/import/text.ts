/**
 * Small string helpers shared by the WordPress and Ghost parsers. Every pattern is linear: the
 * input is an untrusted export.
 */
import { z } from 'zod';

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** An HTML fragment (an excerpt, a caption) as one line of plain text. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `caf%C3%A9` → `café`; a malformed escape leaves the slug as it was. */
export function decodeSlug(slug: string): string {
  if (!slug.includes('%')) return slug;
  try {
    return decodeURIComponent(slug);
  } catch {
    return slug;
  }
}

/**
 * A copy that shares no memory with the string it came from. V8 keeps a substring as a view on
 * its parent, so a title sliced out of a 64 KB read chunk would keep the whole chunk alive for as
 * long as the bundle lives.
 */
export function detach(text: string): string {
  return text.length === 0 ? '' : Buffer.from(text, 'utf8').toString('utf8');
}

const ARTICLE = /^[aeiou]/;

/** One zod issue as "title: expected a string", the path relative to `base`. */
export function describeIssue(base: string, issue: z.core.$ZodIssue): string {
  let where = base;
  for (const key of issue.path) {
    where += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  let what = issue.message;
  if (issue.code === 'invalid_type') {
    const expected = String(issue.expected);
    what = `expected ${ARTICLE.test(expected) ? 'an' : 'a'} ${expected}`;
  }
  return `${where}: ${what}`;
}

/** Where a URL ends in our markdown: at white space, a quote, `)`, `]`, `<` or `>`. */
const URL_END = `\\s)"'<>\\]`;
const URL_RUN = new RegExp(`https?://[^${URL_END}]+`, 'g');

/**
 * Replaces every old URL that stands whole in a markdown body (not followed by more URL) with its
 * new one: the old site's images with our media. Built once per import: each body is one scan for
 * `http(s)://…` runs and a Map lookup per run (it was a pass per URL per body: 3.4 s of CPU for
 * 10,000 posts and 200 images). A URL that itself holds one of the end characters (`a(1).jpg`,
 * written `<…>` in markdown) cannot be found as a run: those few are replaced one by one.
 */
export class UrlRewriter {
  private readonly runs: Map<string, string>;
  private readonly odd: { pattern: RegExp; to: string }[];

  constructor(urls: ReadonlyMap<string, string>) {
    const whole = new RegExp(`^https?://[^${URL_END}]+$`);
    this.runs = new Map([...urls].filter(([from]) => whole.test(from)));
    this.odd = [...urls]
      .filter(([from]) => !whole.test(from))
      .sort((a, b) => b[0].length - a[0].length)
      .map(([from, to]) => ({ pattern: new RegExp(`${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[${URL_END}]|$)`, 'g'), to }));
  }

  rewrite(markdown: string): string {
    let out = this.runs.size === 0 ? markdown : markdown.replace(URL_RUN, (url) => this.runs.get(url) ?? url);
    for (const { pattern, to } of this.odd) out = out.replace(pattern, () => to);
    return out;
  }
}
