/**
 * Issue 5, "Faults": the database goes away while the site runs, then comes back.
 * - readers get the pages already cached, or a plain 503 with Retry-After (never a stack trace);
 * - the editor says it cannot save and keeps the text in the browser;
 * - when the database returns, everything works again without restarting the server.
 *
 * Real processes only: a PostgreSQL of this spec's own (stopped with `pg_ctl stop -m fast` and
 * started again) and a Broadsheet production server of its own (scripts/serve.ts) against it. The
 * config's web server and test database are not used. Playwright project `faults`.
 */
import { hash } from '@node-rs/argon2';
import { expect, test, type APIRequestContext, type APIResponse, type BrowserContext, type Page } from '@playwright/test';
import { migrateDatabase } from '../../scripts/lib/migrate';
import { DATABASE_UNAVAILABLE } from '../../lib/auth/errors';
import { UNAVAILABLE_PAGE } from '../../lib/server/respond';
import { sample } from './data';
import { BroadsheetServer, freePort, importContent, internalsIn, LocalPostgres, signalGroup, withClient } from './database-down-helpers';
import { bodyText, expectSaved, saveState, signIn, startPost, typeBody } from './editor-helpers';

// Generous: the machine running the suite may be small and busy (a test here takes 5–25 s).
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const author = { email: 'outage.author@faults.test', password: 'outage author pass phrase', name: 'Otto Outage' };
/** Never requested before the outage, so not in the page cache. */
const neverVisited = {
  search: '/search?q=anything',
  author: sample.authorPath,
  tag: '/tags/security',
  // An uploaded image's address: images are kept in the database (MEDIA_STORAGE=postgres), so 503 too.
  image: '/media/00000000-0000-4000-8000-000000000000/640x480/photo.jpg',
};

let database: LocalPostgres | null = null;
let site: BroadsheetServer | null = null;
let databaseUrl = '';
let context: BrowserContext;
let editor: Page;
let reader: APIRequestContext;
let postId = '';
let olderHref = '';
const typed = { before: 'Written while the database was up.', during: ' Typed while the database was down.', after: ' And after it came back.' };
const timings: Record<string, number> = {};

/** The last resort if the worker dies before afterAll: nothing of ours is left running. */
function emergencyCleanup(): void {
  if (site) signalGroup(site.pid, 'SIGKILL');
  try {
    database?.destroy();
  } catch {
    // Best effort only.
  }
}

function note(name: string, since: number): void {
  timings[name] = Date.now() - since;
  test.info().annotations.push({ type: 'timing', description: `${name}: ${timings[name]} ms` });
}

/** The markdown of the copy this browser keeps for the post (localStorage), or null. */
async function keptMarkdown(page: Page): Promise<string | null> {
  const raw = await page.evaluate((key) => window.localStorage.getItem(key), `broadsheet:draft:${postId}`);
  return raw === null ? null : (JSON.parse(raw) as { fields: { markdown: string } }).fields.markdown;
}

/** `text` as React writes it into HTML (apostrophes escaped); the body is not dumped on failure. */
function expectText(body: string, text: string, what: string): void {
  const html = text.replaceAll("'", '&#x27;');
  expect(body.includes(html), `${what} shows ${JSON.stringify(text)}`).toBe(true);
}

async function expectNoInternals(response: APIResponse, what: string): Promise<string> {
  const body = await response.text();
  expect(internalsIn(body), `${what} (${response.status()}) shows internals`).toEqual([]);
  return body;
}

/** A plain 503: the whole page is ours, Retry-After is set, nothing internal leaks. */
async function expectUnavailable(path: string, client: APIRequestContext = reader): Promise<void> {
  const response = await client.get(path, { maxRedirects: 0 });
  const body = await expectNoInternals(response, path);
  expect(response.status(), `${path} while the database is down`).toBe(503);
  expect(response.headers()['retry-after']).toBe('30');
  expect(response.headers()['content-type']).toMatch(/^text\/html/);
  expect(response.headers()['cache-control']).toBe('no-store');
  // Exactly the plain page: not a Next.js error page, nothing of the failed render.
  expect(body === UNAVAILABLE_PAGE, `${path} is the plain 503 page`).toBe(true);
}

test.beforeAll(async ({ browser, playwright }) => {
  test.setTimeout(300_000);
  process.once('exit', emergencyCleanup);
  let since = Date.now();

  database = await LocalPostgres.create(55433);
  database.start();
  await withClient(database.url(), (client) => client.query('create database broadsheet'));
  databaseUrl = database.url('broadsheet');
  await migrateDatabase(databaseUrl);
  const port = await freePort(3190);
  // The sample article, plus the e2e fixtures so the home page has an older page (a `?after=` URL).
  importContent(databaseUrl, `http://localhost:${port}`, ['content', 'tests/fixtures/e2e']);
  await withClient(databaseUrl, async (client) => {
    await client.query(`insert into users (email, name, slug, role, password_hash) values ($1, $2, $3, 'author', $4)`, [
      author.email,
      author.name,
      'otto-outage',
      await hash(author.password, { algorithm: 2 }),
    ]);
  });
  note('database ready (initdb, start, migrate, import)', since);

  since = Date.now();
  site = await BroadsheetServer.start({ port, databaseUrl });
  note('server ready', since);

  context = await browser.newContext({ baseURL: site.origin });
  editor = await context.newPage();
  reader = await playwright.request.newContext({ baseURL: site.origin, storageState: { cookies: [], origins: [] } });
});

test.afterAll(async () => {
  test.setTimeout(60_000);
  const problems: string[] = [];
  await context?.close().catch((error: Error) => problems.push(`browser context: ${error.message}`));
  await reader?.dispose().catch((error: Error) => problems.push(`request context: ${error.message}`));
  try {
    await site?.stop();
  } catch (error) {
    problems.push(`server: ${(error as Error).message}`);
  }
  try {
    database?.destroy();
  } catch (error) {
    problems.push(`postgres: ${(error as Error).message}`);
  }
  site = null;
  database = null;
  process.removeListener('exit', emergencyCleanup);
  console.log(`[faults] timings (ms): ${JSON.stringify(timings)}`);
  expect(problems, 'cleanup').toEqual([]);
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && site) {
    await testInfo.attach('broadsheet-server.log', { body: site.log, contentType: 'text/plain' });
    if (database) await testInfo.attach('postgres.log', { body: database.logTail(60), contentType: 'text/plain' });
  }
});

test('with the database up: reader pages are cached, an author writes and the text is saved', async () => {
  for (const path of ['/', sample.path, sample.tags[0].path]) {
    const first = await reader.get(path);
    expect(first.status(), path).toBe(200);
    const again = await reader.get(path);
    expect(again.status(), path).toBe(200);
    // Served by the page cache, not rendered again: these are the pages an outage may still show.
    expect(again.headers()['x-nextjs-cache'], `${path} served from the cache`).toBe('HIT');
  }
  const home = await (await reader.get('/')).text();
  expectText(home, 'Filler Post 04', 'the home page');
  const older = /<a[^>]*href="([^"]*\?after=[^"]+)"[^>]*rel="next"|<a[^>]*rel="next"[^>]*href="([^"]*\?after=[^"]+)"/.exec(home);
  expect(older, 'the home page links to its older page').not.toBeNull();
  olderHref = (older![1] ?? older![2]).replaceAll('&amp;', '&');

  await signIn(editor, author);
  postId = await startPost(editor);
  await typeBody(editor, typed.before);
  await expectSaved(editor, 15_000);
  const stored = await withClient(databaseUrl, (client) => client.query<{ markdown: string }>('select markdown from posts where id = $1', [postId]));
  expect(stored.rows[0].markdown).toContain(typed.before);
});

test('with the database stopped: cached pages, a plain 503 for the rest, and the editor keeps the text', async () => {
  const since = Date.now();
  database!.stop('fast');
  note('pg_ctl stop -m fast', since);

  // The server learns of it from its LISTEN connection, which the shutdown terminates.
  const noticed = Date.now();
  // The very first answer is already the plain 503: no window with an error page.
  await expectUnavailable(neverVisited.search);
  note('first answer after the stop (a 503)', noticed);

  // The readiness probe says so (a load balancer takes the instance out): 503, JSON, never cached,
  // the failed checks named and nothing else (no host, user or error text); /healthz still 200.
  const ready = await reader.get('/readyz');
  expect(ready.status()).toBe(503);
  expect(ready.headers()['cache-control']).toBe('no-store');
  expect(ready.headers()['content-type']).toMatch(/^application\/json/);
  const readyText = await ready.text();
  expect(readyText).not.toMatch(/postgres(ql)?:\/\/|password|ECONNREFUSED|127\.0\.0\.1|localhost/i);
  expect(JSON.parse(readyText)).toMatchObject({ status: 'not ready', checks: { database: 'unreachable' }, failed: expect.arrayContaining(['database']) });
  expect((await reader.get('/healthz')).status()).toBe(200);

  // Readers: the pages already cached answer as before, with their content.
  for (const [path, text] of [
    ['/', sample.title],
    [sample.path, sample.bodySentence],
    [sample.tags[0].path, sample.title],
  ] as const) {
    const response = await reader.get(path);
    const body = await expectNoInternals(response, path);
    expect(response.status(), `${path} (cached) while the database is down`).toBe(200);
    expectText(body, text, path);
  }
  // Everything else: a plain 503 with Retry-After.
  for (const path of [neverVisited.author, neverVisited.tag, olderHref, '/feed.xml', '/sitemap.xml', neverVisited.image]) {
    await expectUnavailable(path);
  }

  // The same in a browser: the cached article reads normally; following its byline to the (uncached)
  // author page, the reader is told plainly what is wrong.
  const readerPage = await context.browser()!.newPage({ baseURL: site!.origin });
  try {
    await readerPage.goto(sample.path);
    await expect(readerPage.getByRole('heading', { level: 1, name: sample.title })).toBeVisible();
    await readerPage.getByRole('main').getByRole('link', { name: sample.author }).first().click();
    await expect(readerPage.getByRole('heading', { level: 1, name: 'Temporarily unavailable' })).toBeVisible({ timeout: 15_000 });
    expect(new URL(readerPage.url()).pathname).toBe(neverVisited.author);
  } finally {
    await readerPage.close();
  }

  // A signed-in writer opening an editor page gets the same plain 503 (those pages need the database).
  await expectUnavailable('/editor', context.request);

  // The editor: the autosave fails, the writer is told so, and the text stays on screen and in storage.
  const saveError = editor.locator('.post-editor > [role="alert"]');
  await typeBody(editor, typed.during);
  const failed = Date.now();
  await expect(saveError).toHaveText(DATABASE_UNAVAILABLE, { timeout: 15_000 });
  note('autosave refusal shown (incl. the 2 s autosave delay)', failed);
  await expect(saveState(editor)).toHaveAttribute('data-state', 'dirty');
  await expect(saveState(editor)).toHaveText('Unsaved changes');
  expect(await bodyText(editor)).toBe(typed.before + typed.during);

  // Ctrl+S tries again on purpose: the same answer, nothing lost.
  const attempt = editor.waitForResponse((response) => response.request().method() === 'POST' && 'next-action' in response.request().headers());
  await editor.keyboard.press('Control+s');
  // The action answers 503 with the refusal in its result: no error page, no network failure.
  expect((await attempt).status()).toBe(503);
  await expect(saveState(editor)).toHaveAttribute('data-state', 'dirty');
  await expect(saveError).toHaveText(DATABASE_UNAVAILABLE);
  expect(await bodyText(editor)).toBe(typed.before + typed.during);

  expect(await keptMarkdown(editor), 'the copy in localStorage').toBe(typed.before + typed.during);

  // Opening the post in another tab (as after a reload) needs the database: the plain 503, and the
  // copy in this browser is untouched.
  const tab = await context.newPage();
  try {
    expect((await tab.goto(`/editor/posts/${postId}`))?.status()).toBe(503);
    await expect(tab.getByRole('heading', { level: 1, name: 'Temporarily unavailable' })).toBeVisible();
    expect(await keptMarkdown(tab)).toBe(typed.before + typed.during);
  } finally {
    await tab.close();
  }
});

test('with the database started again: saving, fresh pages and uncached pages work without a restart', async () => {
  const logFrom = site!.logLength;
  const since = Date.now();
  database!.start();
  note('pg_ctl start', since);
  const back = Date.now();

  // A page never cached renders again at once: the pool opens new connections on demand.
  await expect.poll(async () => (await reader.get(neverVisited.search)).status(), { timeout: 10_000, intervals: [100] }).toBe(200);
  note('first uncached page rendered (200)', back);
  // The page cache's LISTEN connection comes back on its own (it retries at least every 5 s) and
  // drops every page cached before the outage: changes made meanwhile were not heard.
  await site!.waitForLog(/\[cache\] database is back/, { from: logFrom, timeoutMs: 20_000 });
  note('page cache listening again', back);
  const first = await reader.get('/');
  expect(first.status()).toBe(200);
  expect(first.headers()['x-nextjs-cache'], 'the home page cached before the outage is not served').not.toBe('HIT');
  expect((await reader.get('/')).headers()['x-nextjs-cache'], 'the fresh render is cached').toBe('HIT');

  for (const [path, text] of [
    [neverVisited.search, 'Results for'],
    [neverVisited.author, sample.author],
    [neverVisited.tag, sample.title],
    [olderHref, 'Filler Post 01'],
    ['/feed.xml', '<title>When DeepSeek Hit the News'],
  ] as const) {
    const response = await reader.get(path);
    const body = await expectNoInternals(response, path);
    expect(response.status(), `${path} after the database is back`).toBe(200);
    expectText(body, text, path);
  }

  // A change announced in the database reaches the cache through the new connection.
  const renamed = `Back After The Outage ${Date.now().toString(36)}`;
  await withClient(databaseUrl, async (client) => {
    await client.query('update posts set title = $1 where slug = $2', [renamed, sample.slug]);
    await client.query(`select pg_notify('broadsheet_changes', '{"all":true}')`);
  });
  const changed = Date.now();
  const shows = async (path: string) => (await (await reader.get(path)).text()).includes(renamed);
  await expect.poll(() => shows('/'), { message: 'the new title on the home page', timeout: 5_000, intervals: [100] }).toBe(true);
  note('new title on the home page after the notification', changed);
  await expect.poll(() => shows(sample.path), { message: 'the new title on the article', timeout: 5_000 }).toBe(true);

  // The editor: the post opened in another tab offers back the text this browser kept (the server
  // has only the first sentence). Not restored there: the first tab still holds it and saves it.
  const editorBack = Date.now();
  const tab = await context.newPage();
  try {
    await tab.goto(`/editor/posts/${postId}`);
    await expect(tab.getByTestId('recover-banner')).toBeVisible({ timeout: 15_000 });
    await expect(tab.getByRole('button', { name: 'Restore unsaved changes from this browser' })).toBeVisible();
    expect(await bodyText(tab)).toBe(typed.before);
  } finally {
    await tab.close();
  }
  note('editor page loaded again, offering the kept text', editorBack);

  // The writer goes on typing in the first tab: the autosave stores everything, the error goes, the
  // copy in the browser is dropped.
  const typing = Date.now();
  await typeBody(editor, typed.after);
  await expectSaved(editor, 15_000);
  note('autosave confirmed (incl. the 2 s autosave delay)', typing);
  await expect(editor.locator('.post-editor > [role="alert"]')).toHaveCount(0);
  const all = typed.before + typed.during + typed.after;
  const stored = await withClient(databaseUrl, (client) => client.query<{ markdown: string }>('select markdown from posts where id = $1', [postId]));
  expect(stored.rows[0].markdown).toBe(all);
  expect(await keptMarkdown(editor)).toBeNull();
  await editor.reload();
  await expect(editor.locator('.cm-content')).toBeVisible();
  await expect(editor.getByTestId('recover-banner')).toHaveCount(0);
  expect(await bodyText(editor)).toBe(all);

  // All of it without a restart: the one server process started in beforeAll is still the one answering.
  expect(site!.running, 'the Broadsheet server never exited').toBe(true);
  expect(site!.log.match(/\[serve\] ready/g)).toHaveLength(1);
});
