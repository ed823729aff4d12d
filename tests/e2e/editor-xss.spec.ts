/**
 * The XSS corpus (tests/fixtures/xss/vectors.json) in through every writable field and both ways
 * in (content:import, the editor form), viewed on every surface in a real Chromium that records
 * script execution (window.__xss, alert/confirm/prompt/print, dialogs) and audits the DOM for
 * latent script (handlers, javascript:/data: URLs, injected script/iframe/base/meta). Zero may run.
 *
 * Named editor-* so it runs in the `editor` project, after editor-setup (admin signed-in state).
 * The pure layers (renderMarkdown, safeJsonForScript, field validation) are in tests/unit/xss-pipeline.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { announceToServers, authFile, expectSaved, showPreview, startPost, withDb } from './editor-helpers';
import {
  audit,
  importFile,
  installRecorder,
  planFor,
  pool,
  previewTokenFor,
  SEARCH_WORD,
  settle,
  vectors,
  visit,
  watch,
  type Finding,
  type Plan,
} from './xss-helpers';

test.describe.configure({ mode: 'serial' });

const CONCURRENCY = 4;
/**
 * A hero image "path" starting with "/\\" is read by the WHATWG URL parser as "//" (another host);
 * the import format refuses it (lib/content/frontmatter.ts), which the last test checks.
 */
const brokenHero = (plan: Plan) => plan.heroImage?.startsWith('/\\') ?? false;
/** Preview, author and tag pages each take a third of the vectors (every vector gets one of them). */
const third = (plan: Plan, k: number) => plan.vector.id % 3 === k;
const plans: Plan[] = vectors.map(planFor);
const findings: Finding[] = [];
const pageErrors: string[] = [];
const loads: Record<string, number> = {};
const count = (surface: string) => (loads[surface] = (loads[surface] ?? 0) + 1);

type Stored = {
  id: string;
  slug: string;
  title: string;
  subtitle: string;
  description: string;
  cta: string;
  heroImage: string | null;
  heroImageAlt: string;
  authorName: string;
  authorSlug: string;
  tags: { name: string; slug: string }[];
};
const stored = new Map<string, Stored>();

async function openPages(browser: Browser, signedIn: boolean, n = CONCURRENCY) {
  const context = await browser.newContext(signedIn ? { storageState: authFile('admin') } : { storageState: { cookies: [], origins: [] } });
  await installRecorder(context);
  const pages: Page[] = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    watch(page, findings, pageErrors);
    pages.push(page);
  }
  return { context, pages };
}

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-xss-'));
  try {
    plans.forEach((plan, i) => writeFileSync(path.join(dir, `${plan.slug}.md`), importFile(plan, i)));
    execFileSync('npx', ['tsx', '--conditions=react-server', 'scripts/content-import.ts', dir], {
      env: { ...process.env, SITE_URL: process.env.SITE_URL || baseURL! },
      stdio: 'pipe',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await withDb(async (db) => {
    for (const plan of plans) await db.query('update posts set preview_token = $1 where slug = $2', [previewTokenFor(plan.vector), plan.slug]);
    const { rows } = await db.query(
      `select p.id, p.slug, p.title, p.subtitle, p.description, p.cta, p.hero_image as "heroImage", p.hero_image_alt as "heroImageAlt",
              u.name as "authorName", u.slug as "authorSlug",
              coalesce(json_agg(json_build_object('name', t.name, 'slug', t.slug)) filter (where t.id is not null), '[]') as tags
         from posts p join users u on u.id = p.author_id
         left join post_tags pt on pt.post_id = p.id left join tags t on t.id = pt.tag_id
        where p.slug like 'xss-v%' group by p.id, u.id`,
    );
    for (const row of rows) stored.set(row.slug, row as Stored);
  });
});

test.afterAll(() => {
  const bySurface = Object.entries(loads)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  console.log(`\n[xss] vectors=${vectors.length} posts=${stored.size} page loads: ${bySurface} total=${Object.values(loads).reduce((a, b) => a + b, 0)}`);
  console.log(`[xss] findings=${findings.length} page errors (logged, not failures)=${pageErrors.length}`);
  for (const f of findings.slice(0, 60)) console.log(`[xss] FINDING ${f.kind} ${f.url} :: ${f.detail}`);
  for (const e of [...new Set(pageErrors)].slice(0, 15)) console.log(`[xss] pageerror ${e.slice(0, 200)}`);
});

test('the canary: a payload that runs after load (a timer, autofocus) is recorded before the audit', async ({ browser }) => {
  const { context, pages } = await openPages(browser, false, 1);
  const page = pages[0];
  await page.route('**/xss-canary', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><body onload="setTimeout(() => __xss('timer'), 20)"><input autofocus onfocus="__xss('focus')"></body>`,
    }),
  );
  const seen = await visit(page, '/xss-canary');
  await context.close();
  expect(seen.filter((f) => f.detail.startsWith('hit ')).map((f) => f.detail)).toEqual(expect.arrayContaining(['hit __xss:timer', 'hit __xss:focus']));
});

test('every vector was imported, stored exactly as written in every free-text field', async () => {
  expect(stored.size).toBe(plans.length);
  for (const plan of plans) {
    const row = stored.get(plan.slug)!;
    const v = plan.vector.vector.trim();
    expect(row.subtitle).toBe(v);
    expect(row.description).toBe(v);
    expect(row.cta).toBe(v);
    expect(row.heroImageAlt).toBe(v);
    expect(row.heroImage).toBe(plan.heroImage);
    if (plan.title !== null) expect(row.title).toBe(v);
    if (plan.author !== null) expect(row.authorName).toBe(plan.author);
    if (plan.tag !== null) expect(row.tags.map((t) => t.name)).toEqual([plan.tag]);
  }
});

test('article, preview, author and tag pages: nothing runs; JSON-LD and Open Graph hold the exact text', async ({ browser }) => {
  test.setTimeout(480_000); // ~550 page visits; minutes on a loaded 2-core machine
  const { context, pages } = await openPages(browser, false);
  // Baseline: how many <script> elements the head of a clean article has.
  const clean = await pages[0].goto('/posts/when-deepseek-hit-the-news-i-couldnt-ignore-these-worries');
  expect(clean?.ok()).toBe(true);
  const headScripts = await pages[0].locator('head > script').count();
  const bodyJsonLd = await pages[0].locator('script[type="application/ld+json"]').count();

  type Job = { surface: string; url: string; row: Stored };
  const jobs: Job[] = [];
  for (const plan of plans) {
    const row = stored.get(plan.slug)!;
    if (brokenHero(plan)) continue;
    jobs.push({ surface: 'article', url: `/posts/${row.slug}`, row });
    if (third(plan, 0)) jobs.push({ surface: 'preview', url: `/preview/${previewTokenFor(plan.vector)}`, row });
    if (third(plan, 1)) jobs.push({ surface: 'author', url: `/authors/${row.authorSlug}`, row });
    if (third(plan, 2)) for (const tag of row.tags) jobs.push({ surface: 'tag', url: `/tags/${tag.slug}`, row });
  }
  const mismatches: string[] = [];
  await pool(pages, jobs, async (page, job) => {
    findings.push(...(await visit(page, job.url)));
    count(job.surface);
    if (job.surface !== 'article' && job.surface !== 'preview') return;
    const { row } = job;
    const facts = await page.evaluate(() => ({
      ld: Array.from(document.querySelectorAll('script[type="application/ld+json"]')).map((s) => s.textContent ?? ''),
      og: Object.fromEntries(
        Array.from(document.querySelectorAll('head meta[property], head meta[name]')).map((m) => [
          m.getAttribute('property') ?? m.getAttribute('name'),
          m.getAttribute('content'),
        ]),
      ),
      headScripts: document.querySelectorAll('head > script').length,
      title: document.querySelector('article h1')?.textContent,
      alt: document.querySelector('.article-hero img')?.getAttribute('alt'),
      cta: document.querySelector('aside.cta p')?.textContent,
    }));
    const where = `${job.url} (${row.slug})`;
    if (facts.ld.length !== bodyJsonLd) mismatches.push(`${where}: ${facts.ld.length} JSON-LD scripts`);
    let ld: Record<string, unknown> & { author?: { name?: string } } = {};
    try {
      ld = JSON.parse(facts.ld[0]);
    } catch (e) {
      mismatches.push(`${where}: JSON-LD does not parse: ${(e as Error).message}`);
    }
    if (ld.headline !== row.title) mismatches.push(`${where}: JSON-LD headline ${JSON.stringify(ld.headline)} != title`);
    if (ld.author?.name !== row.authorName) mismatches.push(`${where}: JSON-LD author differs`);
    if (ld.description !== (row.description || row.subtitle)) mismatches.push(`${where}: JSON-LD description differs`);
    if (job.surface === 'preview') return; // the preview has its own (noindex) metadata, no Open Graph
    if (facts.headScripts !== headScripts) mismatches.push(`${where}: head has ${facts.headScripts} scripts, clean article ${headScripts}`);
    if (facts.og['og:title'] !== row.title) mismatches.push(`${where}: og:title differs`);
    if (facts.og['og:description'] !== (row.description || row.subtitle)) mismatches.push(`${where}: og:description differs`);
    // A post whose hero path was refused at input has no hero: no og:image and no hero <img>.
    if (row.heroImage && facts.og['og:image:alt'] !== (row.heroImageAlt || row.title))
      mismatches.push(`${where}: og:image:alt ${JSON.stringify(facts.og['og:image:alt'])}`);
    if (facts.og['twitter:title'] !== row.title) mismatches.push(`${where}: twitter:title differs`);
    if (facts.title !== row.title) mismatches.push(`${where}: h1 text differs`);
    if (row.heroImage && facts.alt !== row.heroImageAlt) mismatches.push(`${where}: hero alt differs`);
    if (facts.cta !== row.cta) mismatches.push(`${where}: cta differs`);
  });
  await context.close();
  expect(mismatches, mismatches.slice(0, 20).join('\n')).toEqual([]);
  expect(findings, JSON.stringify(findings.slice(0, 20), null, 1)).toEqual([]);
});

test('home (every page) and search results (every page): nothing runs', async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, pages } = await openPages(browser, false, 1);
  const page = pages[0];
  for (const start of ['/', `/search?q=${SEARCH_WORD}`]) {
    let url: string | null = start;
    let n = 0;
    const seen = new Set<string>();
    while (url && n < 60) {
      findings.push(...(await visit(page, url)));
      count(start === '/' ? 'home' : 'search');
      n++;
      for (const a of await page.locator('main a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''))) {
        if (a.startsWith('/posts/xss-v')) seen.add(a);
      }
      const next = page.locator('a[rel="next"]');
      url = (await next.count()) > 0 ? await next.first().getAttribute('href') : null;
    }
    // Every vector post was listed somewhere on these pages.
    expect(seen.size, start).toBe(plans.length);
  }
  await context.close();
  expect(findings, JSON.stringify(findings.slice(0, 20), null, 1)).toEqual([]);
});

async function checkFeeds(browser: Browser, request: APIRequestContext, pass: 1 | 2): Promise<string[]> {
  const { context, pages } = await openPages(browser, false, 1);
  const page = pages[0];
  const problems: string[] = [];
  const ids = plans.map((p) => stored.get(p.slug)!.id);
  const original = await withDb((db) =>
    db.query<{ id: string; publish_at: Date; hero_image: string | null }>(`select id, publish_at, hero_image from posts where slug like 'xss-v%'`),
  );
  // Feeds hold the 20 newest posts: bring the vector posts to the top 20 at a time.
  // Pass 1: JSON Feed + sitemap with the hostile hero image paths as stored. Pass 2: RSS and Atom
  // with the hero images swapped for an absolute URL — a relative hero path makes the `feed`
  // library throw (known bug, see the last test), so RSS/Atom do not cover the hero URL field.
  try {
    {
      for (let g = 0; g < ids.length; g += 20) {
        const group = ids.slice(g, g + 20);
        await withDb(async (db) => {
          await db.query(`update posts set publish_at = now() - interval '1 second' where id = any($1::uuid[])`, [group]);
          await announceToServers(db);
        });
        for (const [feed, type] of [
          ['/feed.xml', 'rss'],
          ['/atom.xml', 'atom'],
          ['/feed.json', 'json'],
          ['/sitemap.xml', 'sitemap'],
        ] as const) {
          if (feed === '/sitemap.xml' && g > 0) continue;
          if ((pass === 1) !== (type === 'json' || type === 'sitemap')) continue;
          const res = await request.get(`${feed}?g=${g}&pass=${pass}`);
          expect(res.ok()).toBe(true);
          const body = await res.text();
          const url = `${feed}?g=${g}&pass=${pass}`;
          // Render it in Chromium as an XML (or JSON) document: an XHTML <script> in it would run here.
          await page.route(`**${feed}?g=${g}&pass=${pass}`, (route) =>
            route.fulfill({ body, contentType: type === 'json' ? 'application/json' : 'application/xml' }),
          );
          findings.push(...(await visit(page, url)));
          count(type);
          const check = await page.evaluate(
            ({ body, type }) => {
              const out: string[] = [];
              const items: string[] = [];
              const titles: string[] = [];
              if (type === 'json') {
                const data = JSON.parse(body) as { items: { content_html: string; title: string }[] };
                for (const item of data.items) {
                  items.push(item.content_html);
                  titles.push(item.title);
                }
              } else {
                const doc = new DOMParser().parseFromString(body, 'application/xml');
                if (doc.getElementsByTagName('parsererror').length) out.push('not well-formed XML');
                if (doc.getElementsByTagNameNS('*', 'script').length) out.push('script element in the XML');
                for (const el of Array.from(doc.getElementsByTagName('*'))) {
                  for (const a of Array.from(el.attributes)) if (/^on/i.test(a.localName)) out.push(`handler ${a.name} on <${el.localName}>`);
                }
                if (document.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'script').length) out.push('script element in the rendered document');
                for (const el of Array.from(doc.querySelectorAll('item > description, item > *|encoded, entry > content, entry > summary')))
                  items.push(el.textContent ?? '');
                for (const el of Array.from(doc.querySelectorAll('item > title, entry > title'))) titles.push(el.textContent ?? '');
              }
              // Each item's HTML as a feed reader would parse it.
              const bad = /^[\s\u0000-\u001f]*(javascript|vbscript|livescript|data)\s*:/i;
              for (const html of items) {
                const doc = new DOMParser().parseFromString(html, 'text/html');
                for (const el of Array.from(doc.querySelectorAll('*'))) {
                  if (['script', 'iframe', 'object', 'embed', 'style', 'svg', 'math', 'form', 'base', 'meta', 'link'].includes(el.localName))
                    out.push(`item <${el.localName}>`);
                  for (const a of Array.from(el.attributes)) {
                    if (/^on/i.test(a.name) || a.name === 'style') out.push(`item attr ${a.name} on <${el.localName}>`);
                    if (['href', 'src', 'xlink:href', 'action', 'formaction'].includes(a.name) && bad.test(a.value)) out.push(`item url ${a.name}=${a.value}`);
                  }
                }
              }
              return { out, titles };
            },
            { body, type },
          );
          for (const p of check.out) problems.push(`${url}: ${p}`);
          if (type !== 'sitemap') {
            // XML 1.0 cannot carry most C0 control characters: the feeds drop them (lib/feeds/xml.ts).
            const carried = (title: string) => (type === 'json' ? title : title.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));
            const expected = new Set(group.map((id) => carried([...stored.values()].find((s) => s.id === id)!.title)));
            const got = new Set(check.titles);
            for (const title of expected) if (!got.has(title)) problems.push(`${url}: title not found verbatim: ${JSON.stringify(title).slice(0, 80)}`);
          }
        }
        await withDb(async (db) => {
          await db.query(`update posts set publish_at = '2015-01-01' where id = any($1::uuid[])`, [group]);
          await announceToServers(db);
        });
      }
    }
  } finally {
    await withDb(async (db) => {
      for (const row of original.rows) await db.query('update posts set publish_at = $1, hero_image = $2 where id = $3', [row.publish_at, row.hero_image, row.id]);
      await announceToServers(db);
    });
  }
  await context.close();
  return problems;
}

test('JSON Feed and the sitemap: valid, no script element, nothing runs, item HTML is clean, titles verbatim', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const problems = await checkFeeds(browser, request, 1);
  expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
  expect(findings, JSON.stringify(findings.slice(0, 20), null, 1)).toEqual([]);
});

test('RSS and Atom: well-formed, no element injected, nothing runs, titles verbatim', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const problems = await checkFeeds(browser, request, 2);
  const hits = findings.filter((f) => /feed\.xml|atom\.xml/.test(f.url));
  console.log(`[xss] RSS/Atom: ${problems.length} problems, ${hits.length} in-browser findings`);
  for (const p of [...new Set(problems.map((p) => p.replace(/\?g=\d+&pass=2/, '')))].slice(0, 25)) console.log(`[xss] FEED ${p.slice(0, 200)}`);
  for (const f of hits.slice(0, 10)) console.log(`[xss] FEED-EXEC ${f.url} ${f.detail}`);
  // Keep the other tests' zero-findings checks about their own surfaces.
  findings.splice(0, findings.length, ...findings.filter((f) => !hits.includes(f)));
  expect(problems).toEqual([]);
  expect(hits).toEqual([]);
});

test('the editor (fields in inputs, tag chips, live preview) as the admin: nothing runs', async ({ browser }) => {
  test.setTimeout(300_000);
  const { context, pages } = await openPages(browser, true, 3);
  const mismatches: string[] = [];
  // Every fourth vector (the rendering is the same component for all; the editor way-in test adds more).
  await pool(
    pages,
    plans.filter((p) => p.vector.id % 4 === 0),
    async (page, plan) => {
      const row = stored.get(plan.slug)!;
      const url = `/editor/posts/${row.id}`;
      await page.goto(url, { waitUntil: 'load' });
      await showPreview(page);
      // The live preview renders the body through the server pipeline ~400 ms after load.
      await expect(page.getByTestId('live-preview')).toContainText(SEARCH_WORD, { timeout: 10_000 });
      await settle(page);
      findings.push(...(await audit(page, url)));
      count('editor');
      const values = await page.evaluate(() => ({
        title: (document.getElementById('post-title') as HTMLInputElement | null)?.value,
        cta: (document.getElementById('post-cta') as HTMLInputElement | null)?.value,
        alt: (document.getElementById('post-heroImageAlt') as HTMLInputElement | null)?.value,
      }));
      // <input type=text> drops line breaks from its value (HTML value sanitisation): compare without them.
      const flat = (x: string) => x.replace(/[\r\n]/g, '');
      for (const [name, got, want] of [
        ['title', values.title, row.title],
        ['cta', values.cta, row.cta],
        ['alt', values.alt, row.heroImageAlt],
      ] as const) {
        if (got !== flat(want)) mismatches.push(`${url} (${row.slug}): ${name} input ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
    },
  );
  await context.close();
  expect(mismatches, mismatches.slice(0, 20).join('\n')).toEqual([]);
  expect(findings, JSON.stringify(findings.slice(0, 20), null, 1)).toEqual([]);
});

test('the editor as a way in: vectors typed into every field of a new post, saved, published, then viewed', async ({ browser }) => {
  test.setTimeout(180_000);
  // Two short comma-free vectors from each family (tags are comma-separated, ≤ 60 chars).
  const byFamily = new Map<string, typeof vectors>();
  for (const v of vectors) {
    if (v.vector.length > 45 || v.vector.includes(',') || /\s$|^\s|\n|\t|\u000b/.test(v.vector)) continue;
    const list = byFamily.get(v.family) ?? [];
    if (list.length < 2) byFamily.set(v.family, [...list, v]);
  }
  const chosen = [...byFamily.values()].flat();
  const groups: (typeof vectors)[] = [];
  for (let i = 0; i < chosen.length; i += 6) groups.push(chosen.slice(i, i + 6));
  const { context, pages } = await openPages(browser, true, 1);
  const page = pages[0];
  const mismatches: string[] = [];
  for (const group of groups) {
    const text = group.map((v) => v.vector).join(' ');
    const id = await startPost(page);
    await page.locator('#post-title').fill(text);
    await page.locator('#post-subtitle').fill(text);
    await page.locator('#post-description').fill(text);
    await page.locator('#post-heroImageAlt').fill(text);
    await page.locator('#post-cta').fill(text);
    await page.locator('#post-tags').fill(group.map((v) => v.vector).join(', '));
    await page.locator('.cm-content').click();
    await page.keyboard.insertText(`${SEARCH_WORD}\n\n${group.map((v) => `${v.vector}\n\n[x](${v.vector})\n\n![x](${v.vector})`).join('\n\n')}\n`);
    await expectSaved(page, 10_000);
    await expect(page.getByTestId('live-preview')).toContainText(SEARCH_WORD, { timeout: 10_000 });
    await settle(page);
    findings.push(...(await audit(page, `/editor/posts/${id} (typing)`)));
    await page.getByRole('button', { name: 'Publish now' }).click();
    await expect(page.getByRole('region', { name: 'Publishing', exact: true }).locator('.status-badge')).toHaveText('Published', { timeout: 10_000 });
    const [row] = (
      await withDb((db) => db.query(`select p.slug, p.title, p.cta, u.slug as author from posts p join users u on u.id = p.author_id where p.id = $1`, [id]))
    ).rows;
    if (row.title !== text || row.cta !== text) mismatches.push(`${id}: stored fields differ from what was typed`);
    const tagSlugs = (await withDb((db) => db.query(`select t.slug from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = $1`, [id]))).rows.map(
      (r) => r.slug as string,
    );
    if (tagSlugs.length !== group.length) mismatches.push(`${id}: ${tagSlugs.length} tags stored, ${group.length} typed`);
    for (const url of [`/posts/${row.slug}`, `/editor/posts/${id}`, ...tagSlugs.map((s) => `/tags/${s}`)]) {
      findings.push(...(await visit(page, url)));
      count(url.startsWith('/editor') ? 'editor-entry:editor' : url.startsWith('/tags') ? 'editor-entry:tag' : 'editor-entry:article');
      if (url.startsWith('/posts/')) {
        const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').first().textContent()) ?? '{}');
        if (ld.headline !== text) mismatches.push(`${url}: JSON-LD headline differs`);
        if ((await page.locator('meta[property="og:title"]').getAttribute('content')) !== text) mismatches.push(`${url}: og:title differs`);
      }
    }
    // Take it down again (the other editor specs' lists are not ours to change).
    await page.goto(`/editor/posts/${id}`);
    await page.getByRole('button', { name: 'Unpublish' }).click();
    await expect(page.getByRole('region', { name: 'Publishing', exact: true }).locator('.status-badge')).not.toHaveText('Published', { timeout: 10_000 });
  }
  console.log(`[xss] editor way in: ${chosen.length} vectors (${chosen.map((v) => v.id).join(',')}) in ${groups.length} posts`);
  await context.close();
  expect(mismatches, mismatches.join('\n')).toEqual([]);
  expect(findings, JSON.stringify(findings.slice(0, 20), null, 1)).toEqual([]);
});

test('a hero image "/\\…" (read by browsers as another host) is refused at input, so no such post exists', async () => {
  expect(plans.filter(brokenHero)).toEqual([]);
  expect(plans.filter((plan) => plan.vector.vector.trim().startsWith('\\')).every((plan) => plan.heroImage === null)).toBe(true);
});
