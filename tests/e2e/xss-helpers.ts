/**
 * Shared by tests/e2e/editor-xss.spec.ts: the XSS corpus, the import-format files built from it,
 * and the in-browser recorder + DOM audit run after every page load.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Frame, Page } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Vector = { id: number; family: string; vector: string };
export const vectors: Vector[] = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/xss/vectors.json'), 'utf8'));

export const pad = (id: number) => String(id).padStart(3, '0');
export const slugFor = (v: Vector) => `xss-v${pad(v.id)}`;
/** A 43-character base64url preview token per vector post. */
export const previewTokenFor = (v: Vector) => `xssPreviewToken${pad(v.id)}`.padEnd(43, 'A');
export const SEARCH_WORD = 'xssmarkerword';

/** Mirrors the import format's validation (lib/content/frontmatter.ts); tests/unit/xss-pipeline.test.ts proves it matches. */
export const imageOk = (v: string) => v === '' || /^\/(?![\/\\])[^\s"'<>\\\u0000-\u001f]*$/.test(v) || /^https?:\/\/[^\s"'<>\\]+$/i.test(v);

export type Plan = {
  vector: Vector;
  slug: string;
  title: string | null; // null: refused at input (too long), a placeholder title is used
  author: string | null;
  tag: string | null;
  heroImage: string | null; // the vector itself when the schema accepts it, else "/" + vector, else none (refused)
  heroImageRaw: 'accepted' | 'refused';
};

/**
 * One post per vector, so a hit names its vector. Every free-text field carries the vector; the
 * author and tag get a short unique prefix (their slugs are derived from the name, and distinct
 * vectors can slugify alike) — the vector itself is unchanged after the prefix.
 */
export function planFor(v: Vector): Plan {
  const t = v.vector.trim();
  const author = `a${pad(v.id)} ${t}`;
  const tag = `t${pad(v.id)} ${t}`;
  const heroImageRaw = imageOk(t) ? 'accepted' : 'refused';
  return {
    vector: v,
    slug: slugFor(v),
    title: t.length <= 300 ? v.vector : null,
    author: author.length <= 120 && !/,/.test(author) ? author : null,
    tag: tag.length <= 60 && !tag.includes(',') ? tag : null,
    heroImage: heroImageRaw === 'accepted' ? t : imageOk(`/${t}`) ? `/${t}` : null,
    heroImageRaw,
  };
}

/** YAML double-quoted scalar: JSON with non-ASCII escaped (JSON is YAML 1.2). */
const y = (value: unknown) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function importFile(plan: Plan, index: number): string {
  const v = plan.vector.vector;
  const publish = new Date(Date.UTC(2015, 0, 1) + index * 60_000).toISOString();
  const fm: Record<string, unknown> = {
    title: plan.title ?? `XSS vector ${pad(plan.vector.id)} (title refused: longer than 300)`,
    subtitle: v,
    description: v,
    author: plan.author ?? `XSS Author ${pad(plan.vector.id)}`,
    publish_date: publish,
    ...(plan.heroImage ? { heroImage: plan.heroImage } : {}),
    heroImageAlt: v,
    cta: v,
    slug: plan.slug,
    tags: plan.tag ? [plan.tag] : [`xss-t${pad(plan.vector.id)}`],
  };
  const body = [
    `${SEARCH_WORD} vector ${pad(plan.vector.id)}`,
    v,
    `<p>${v}</p>`,
    `text ${v} text`,
    `[x](${v})`,
    `![x](${v})`,
    `[${v}](https://x.invalid/)`,
    `![${v}](https://x.invalid/a.png)`,
    `[r][ref${plan.vector.id}]\n\n[ref${plan.vector.id}]: ${v}`,
    `## Heading ${v}`,
    `> ${v}`,
    `- ${v}`,
    `${SEARCH_WORD} end`,
  ].join('\n\n');
  return `---\n${Object.entries(fm)
    .map(([k, val]) => `${k}: ${y(val)}`)
    .join('\n')}\n---\n${body}\n`;
}

/** Installs the recorder in every page and frame of the context, before any page script. */
export async function installRecorder(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown> & { __xssHits: string[] };
    w.__xssHits = [];
    w.__xss = (x: unknown) => w.__xssHits.push(`__xss:${String(x)}`);
    for (const k of ['alert', 'confirm', 'prompt', 'print']) w[k] = (x: unknown) => w.__xssHits.push(`${k}:${String(x)}`);
  });
}

export type Finding = { url: string; kind: string; detail: string };

/** Per page: dialogs are recorded (and dismissed), page errors logged only. */
export function watch(page: Page, findings: Finding[], errors: string[]): void {
  page.on('dialog', (d) => {
    findings.push({ url: page.url(), kind: 'dialog', detail: `${d.type()}: ${d.message()}` });
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
}

/**
 * Audit of one frame's DOM, in the page: recorder hits; any element or attribute that could run
 * script (handlers, script-capable URLs, injected script elements) — latent holes count too,
 * because no test clicks every link.
 */
async function auditFrame(frame: Frame): Promise<string[]> {
  return frame
    .evaluate(() => {
      const out: string[] = [];
      const w = window as unknown as { __xssHits?: string[] };
      for (const h of w.__xssHits ?? []) out.push(`hit ${h}`);
      const bad = /^[\s\u0000-\u001f]*(javascript|vbscript|livescript|data)\s*:/i;
      for (const el of Array.from(document.querySelectorAll('*'))) {
        for (const attr of Array.from(el.attributes)) {
          const n = attr.name.toLowerCase();
          if (n.startsWith('on')) out.push(`handler <${el.localName} ${n}="${attr.value.slice(0, 80)}">`);
          if (
            ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data', 'srcdoc'].includes(n) &&
            (bad.test(attr.value) || n === 'srcdoc')
          )
            out.push(`url <${el.localName} ${n}="${attr.value.slice(0, 80)}">`);
          if (n === 'srcset' && attr.value.split(',').some((c) => bad.test(c.trim()))) out.push(`srcset <${el.localName}>`);
        }
        // Next's flight data (self.__next_f.push([...])) carries the text as JSON string data: not code.
        const code = el.textContent ?? '';
        if (
          el.localName === 'script' &&
          /__xss|alert\(|prompt\(|confirm\(/.test(code) &&
          (el as HTMLScriptElement).type !== 'application/ld+json' &&
          !/^\s*\(?self\.__next_f/.test(code)
        )
          out.push(`script element with payload: ${(el.textContent ?? '').slice(0, 80)}`);
        if (['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet'].includes(el.localName)) out.push(`element <${el.localName}>`);
        if (el.localName === 'meta' && el.getAttribute('http-equiv')) out.push(`meta http-equiv ${el.getAttribute('http-equiv')}`);
      }
      return out;
    })
    .catch((e: Error) => [`audit failed: ${e.message}`]);
}

/** Audits every frame of the page as it is now. */
export async function audit(page: Page, url: string): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const frame of page.frames()) for (const detail of await auditFrame(frame)) out.push({ url, kind: 'dom', detail });
  return out;
}

/**
 * What fires after `load` fires within the next rendering steps: autofocus (focus fix-up), CSS
 * animation and transition events, SMIL `begin`, `<details>` toggle, media errors. Waits for two
 * animation frames and then a quiet 50 ms, or `maxMs` if frames do not come (a page in the
 * background). A handler set to fire later is still found: the DOM audit reports every
 * script-capable attribute and element, fired or not.
 */
export async function settle(page: Page, maxMs = 300): Promise<void> {
  await page.evaluate(
    (maxMs) =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, maxMs);
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50)));
      }),
    maxMs,
  );
}

/** Navigates, lets load/error handlers and the next frames' events fire, and audits every frame. Returns findings for this URL. */
export async function visit(page: Page, url: string): Promise<Finding[]> {
  const response = await page.goto(url, { waitUntil: 'load' });
  await settle(page);
  const out: Finding[] = [];
  if (!response || response.status() >= 400) out.push({ url, kind: 'http', detail: `status ${response?.status()}` });
  return [...out, ...(await audit(page, url))];
}

/** Runs `jobs` over `pages` in parallel (one job per page at a time). */
export async function pool<T>(pages: Page[], jobs: T[], run: (page: Page, job: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    pages.map(async (page) => {
      while (next < jobs.length) {
        const job = jobs[next++];
        await run(page, job);
      }
    }),
  );
}
