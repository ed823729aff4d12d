/**
 * The XSS corpus (tests/fixtures/xss/vectors.json, 250+ vectors) through the pure layers:
 *  - every vector, raw and inside markdown link / image / reference syntax, through `renderMarkdown`
 *    → no script, no handler, no dangerous URL, no forbidden element, no style attribute;
 *  - `safeJsonForScript` (the JSON-LD writer) → no `<`/`>`/`&`, and JSON.parse round-trips;
 *  - the import format's validated fields (heroImage, slug, tags ≤ 60, author ≤ 120, title ≤ 300):
 *    whatever the schema accepts is what the end-to-end spec imports; a refusal is recorded.
 * The end-to-end half (a real Chromium on every surface) is tests/e2e/editor-xss.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { parseFragment, serialize } from 'parse5';
import { describe, expect, it } from 'vitest';
import { imageUrlSchema, parseContent } from '@/lib/content/frontmatter';
import { safeJsonForScript } from '@/lib/format';
import { renderMarkdown } from '@/lib/markdown';

type Vector = { id: number; family: string; vector: string };
const vectors: Vector[] = JSON.parse(readFileSync(new URL('../fixtures/xss/vectors.json', import.meta.url), 'utf8'));

/** The body forms the e2e spec imports, too (same shapes). */
export function bodyForms(v: string): string[] {
  return [v, `text ${v} text`, `[x](${v})`, `![x](${v})`, `[${v}](https://x.invalid/)`, `![${v}](https://x.invalid/a.png)`, `[r][ref]\n\n[ref]: ${v}`];
}

const DANGEROUS_URL =
  /^[\s\u0000-\u001f]*(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|v\s*b\s*s\s*c\s*r\s*i\s*p\s*t|l\s*i\s*v\s*e\s*s\s*c\s*r\s*i\s*p\s*t|d\s*a\s*t\s*a)\s*:/i;
const URL_ATTRS = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data', 'dynsrc', 'lowsrc', 'cite', 'codebase']);
const FORBIDDEN =
  /^(script|iframe|object|embed|style|svg|math|form|base|meta|link|frame|frameset|applet|template|noscript|textarea|select|button|isindex|plaintext|xmp|picture|source|video|audio|marquee|body|noembed|noframes|title)$/;

type P5Node = { nodeName: string; tagName?: string; attrs?: { name: string; value: string }[]; childNodes?: P5Node[]; content?: P5Node };

/**
 * Every problem with one piece of rendered HTML (empty = clean), judged on the DOM a browser's
 * HTML parser builds from it (parse5), then again after a serialise → re-parse round trip
 * (mutation XSS: markup that changes meaning when re-parsed).
 */
function problems(html: string): string[] {
  const found: string[] = [];
  const walk = (node: P5Node) => {
    if (node.tagName) {
      if (FORBIDDEN.test(node.tagName)) found.push(`<${node.tagName}>`);
      if (node.tagName === 'input' && !node.attrs?.some((a) => a.name === 'type' && a.value === 'checkbox')) found.push('<input> not a checkbox');
      for (const { name, value } of node.attrs ?? []) {
        if (/^on/i.test(name)) found.push(`handler ${name}=${value}`);
        if (name === 'style') found.push(`style=${value}`);
        if (URL_ATTRS.has(name)) {
          const candidates = name === 'srcset' ? value.split(',').map((c) => c.trim()) : [value];
          if (candidates.some((c) => DANGEROUS_URL.test(c))) found.push(`${name}=${value}`);
        }
      }
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  const first = parseFragment(html) as unknown as P5Node;
  walk(first);
  walk(parseFragment(serialize(first as never)) as unknown as P5Node);
  return [...new Set(found)];
}

describe('the XSS corpus', () => {
  it('has at least 150 distinct vectors across the required families', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(150);
    expect(new Set(vectors.map((v) => v.vector)).size).toBe(vectors.length);
    const families = new Set(vectors.map((v) => v.family));
    for (const family of [
      'script-tag',
      'event-handler',
      'url-javascript',
      'url-data',
      'url-vbscript',
      'svg',
      'mathml',
      'malformed',
      'attribute-breakout',
      'markdown',
      'json-ld-breakout',
      'css',
    ]) {
      expect(families, family).toContain(family);
    }
  });

  it('the checker itself catches what it must (it is not vacuous)', () => {
    expect(problems('<img src=x onerror=alert(1)>')).not.toEqual([]);
    expect(problems('<a href="jav&#x09;ascript:x">x</a>')).not.toEqual([]);
    expect(problems('<p style="x">x</p>')).not.toEqual([]);
    expect(problems('<svg></svg>')).not.toEqual([]);
    expect(problems('<p>&lt;script&gt; onerror=x</p>')).toEqual([]);
    expect(problems('<img alt="<script>x</script>" src="https://x.invalid/a.png">')).toEqual([]);
  });
});

describe('renderMarkdown neutralises every vector in every body form', () => {
  it.each(vectors.map((v) => [v.id, v.family, v] as const))('vector %i (%s)', async (_id, _family, v) => {
    for (const form of bodyForms(v.vector)) {
      const { html } = await renderMarkdown(form);
      expect(problems(html), `form: ${JSON.stringify(form)}\nhtml: ${html}`).toEqual([]);
    }
  });

  it('all vectors in one document (nesting and interaction between vectors)', async () => {
    const all = vectors.map((v) => `${v.vector}\n\n<p>${v.vector}</p>\n\n[x](${v.vector})`).join('\n\n');
    const { html } = await renderMarkdown(all);
    expect(problems(html)).toEqual([]);
  });
});

describe('safeJsonForScript (JSON-LD) keeps every vector inside the script element', () => {
  it.each(vectors.map((v) => [v.id, v] as const))('vector %i', (_id, v) => {
    const data = { headline: v.vector, author: { name: v.vector }, keywords: [v.vector, v.vector].join(', ') };
    const json = safeJsonForScript(data);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(data);
  });
});

/** What the import does with a vector in each validated field: 'accepted' or 'refused'. */
function importOutcome(field: string, value: unknown): 'accepted' | 'refused' {
  const base: Record<string, unknown> = { title: 'T', author: 'A', publish_date: '2015-01-01', slug: 'xss-probe' };
  base[field] = value;
  const fm = Object.entries(base)
    .map(([k, v]) => `${k}: ${JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`)
    .join('\n');
  try {
    parseContent(`---\n${fm}\n---\nbody\n`);
    return 'accepted';
  } catch {
    return 'refused';
  }
}

describe('validated import fields: hostile values are refused, or stored as text (proved in the e2e spec)', () => {
  it('slug: every vector is refused at input', () => {
    for (const v of vectors) expect(importOutcome('slug', v.vector), v.vector).toBe('refused');
  });

  it('heroImage: only http(s) URLs without quotes/spaces/angle brackets, or /paths, are accepted', () => {
    const accepted = vectors.filter((v) => importOutcome('heroImage', v.vector) === 'accepted');
    for (const v of accepted) {
      const value = v.vector.trim();
      expect(/^\/(?!\/)/.test(value) || /^https?:\/\/[^\s"'<>]+$/i.test(value), value).toBe(true);
    }
    // No script-capable scheme survives, whatever the encoding trick.
    for (const v of vectors.filter((v) => v.family.startsWith('url-'))) {
      expect(importOutcome('heroImage', v.vector), v.vector).toBe('refused');
      expect(imageUrlSchema.safeParse(v.vector).success, v.vector).toBe(false);
    }
  });

  it('length limits: tag > 60, author > 120, title > 300 are refused; shorter vectors are accepted as text', () => {
    for (const v of vectors) {
      const t = v.vector.trim();
      expect(importOutcome('tags', [v.vector]), `tag ${t}`).toBe(t.length <= 60 && t.length > 0 ? 'accepted' : 'refused');
      expect(importOutcome('author', v.vector), `author ${t}`).toBe(t.length <= 120 ? 'accepted' : 'refused');
      expect(importOutcome('title', v.vector), `title ${t}`).toBe(t.length <= 300 ? 'accepted' : 'refused');
      for (const field of ['subtitle', 'description', 'cta', 'heroImageAlt']) expect(importOutcome(field, v.vector), field).toBe('accepted');
    }
  });
});
