/**
 * The Content API over HTTP, against the real production server (issue 16): an admin makes keys
 * at /editor/integrations (the token shown once) and revokes one; a missing, unknown or revoked key
 * is 401; keyset pages cover the list once; filters and `fields`; ETag then 304; answers come from
 * the page cache (its lookups move in /metrics) and a publish or an edit changes the next answer
 * and its ETag at once; CORS only for the configured origin; a key's limit is 429 + Retry-After;
 * openapi.json is served and every real answer here validates against it.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { test, expect, type APIRequestContext, type APIResponse, type Page } from '@playwright/test';
import { hidden, sample } from './data';
import { authFile, expectSaved, startPost, statusBadge, typeBody, unique } from './editor-helpers';
import { CORS_ORIGIN, METRICS_TOKEN } from './observe-env';

test.describe.configure({ mode: 'serial' });

const API = '/api/content/v1';
const keys = { reader: '', tiny: '', revoked: '' };
const names = { reader: unique('E2E reader '), tiny: unique('E2E tiny '), revoked: unique('E2E revoked ') };

/** An answer's body, loosely: each test reads the parts its resource has. */
type Item = { slug: string; title: string; published_at: string; html: string; author: { slug: string }; tags: { slug: string }[] };
type Body = {
  posts: Item[];
  pages: Item[];
  tags: Item[];
  authors: Item[];
  meta: { limit: number; next: string | null };
  errors: { type: string; parameter?: string }[];
};

/** Real answers seen in this file, validated against openapi.json at the end: [path template, status, body]. */
const seen: [string, number, unknown][] = [];

async function get(request: APIRequestContext, path: string, options: { key?: string | null; headers?: Record<string, string> } = {}): Promise<APIResponse> {
  const key = options.key === undefined ? keys.reader : options.key;
  const response = await request.get(`${API}${path}`, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers } });
  return response;
}

async function json(response: APIResponse, template: string): Promise<Body> {
  const body = (await response.json()) as Body;
  seen.push([template, response.status(), body]);
  return body;
}

async function makeKey(page: Page, name: string, perMinute: number): Promise<string> {
  const section = page.getByRole('region', { name: 'Content API keys' });
  await section.getByLabel('Name').fill(name);
  await section.getByLabel('Requests per minute').fill(String(perMinute));
  await section.getByRole('button', { name: 'Make key' }).click();
  await expect(section.getByRole('status').filter({ hasText: `Made ${name}.` })).toBeVisible();
  const token = await section.getByLabel('New key').inputValue();
  expect(token).toMatch(/^bsk_[A-Za-z0-9_-]{43}$/);
  return token;
}

async function metric(request: APIRequestContext, tier: string): Promise<number> {
  const text = await (await request.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const match = new RegExp(`^broadsheet_page_cache_lookups_total\\{tier="${tier}"\\} (\\S+)$`, 'm').exec(text);
  return Number(match?.[1] ?? NaN);
}

test.describe('as the admin', () => {
  test.use({ storageState: authFile('admin') });

  test('makes keys at /editor/integrations (each shown once) and revokes one', async ({ page }) => {
    await page.goto('/editor/integrations');
    keys.reader = await makeKey(page, names.reader, 600);
    keys.tiny = await makeKey(page, names.tiny, 2);
    keys.revoked = await makeKey(page, names.revoked, 600);
    expect((await get(page.request, '/settings', { key: keys.revoked })).status()).toBe(200);

    // The list shows a prefix, never the token; after a reload the token is gone from the page.
    await page.reload();
    const item = page.getByRole('listitem', { name: `Key ${names.revoked}` });
    await expect(item).toContainText(keys.revoked.slice(0, 10));
    expect(await page.content()).not.toContain(keys.revoked);
    page.once('dialog', (dialog) => void dialog.accept());
    await item.getByRole('button', { name: 'Revoke' }).click();
    await expect(item).toContainText('Revoked');
  });

  test('a publish and an edit change the answer and its ETag at once', async ({ page }) => {
    const list = await get(page.request, '/posts?limit=1&fields=slug,title,updated_at');
    const before = await json(list, '/posts');
    const listEtag = list.headers().etag;

    const title = unique('Content API live ');
    await startPost(page);
    await page.getByLabel('Title', { exact: true }).fill(title);
    await typeBody(page, 'A post other sites read through the Content API.');
    await expectSaved(page);
    await page.getByRole('button', { name: 'Publish now', exact: true }).click();
    await expect(statusBadge(page)).toHaveText('Published');

    // No waiting: the server that took the publish answers from the database at once.
    const after = await get(page.request, '/posts?limit=1&fields=slug,title,updated_at', { headers: { 'if-none-match': listEtag } });
    expect(after.status()).toBe(200);
    const [newest] = (await json(after, '/posts')).posts;
    expect(newest.title).toBe(title);
    expect(newest.slug).not.toBe(before.posts[0].slug);
    expect(after.headers().etag).not.toBe(listEtag);

    const one = await get(page.request, `/posts/${newest.slug}`);
    const itemEtag = one.headers().etag;
    expect((await json(one, '/posts/{slug}')).posts[0]).toMatchObject({ title, html: expect.stringContaining('other sites read') });

    await page.getByLabel('Title', { exact: true }).fill(`${title} (edited)`);
    await page.getByRole('button', { name: 'Publish changes', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Publishing', exact: true })).not.toContainText('Publishing…');
    await expect
      .poll(async () => (await (await get(page.request, `/posts/${newest.slug}?fields=title`)).json()).posts[0].title, {
        message: 'the edit is in the answer once the editor has saved it',
        timeout: 5_000,
      })
      .toBe(`${title} (edited)`);
    const edited = await get(page.request, `/posts/${newest.slug}`, { headers: { 'if-none-match': itemEtag } });
    expect(edited.status()).toBe(200);
    expect(edited.headers().etag).not.toBe(itemEtag);
    expect((await json(edited, '/posts/{slug}')).posts[0].title).toBe(`${title} (edited)`);
  });
});

test('401 without a key, with an unknown one, with a revoked one', async ({ request }) => {
  for (const [what, key] of [
    ['none', null],
    ['unknown', `bsk_${'A'.repeat(43)}`],
    ['malformed', 'not-a-key'],
    ['revoked', keys.revoked],
  ] as const) {
    const response = await get(request, '/posts', { key });
    expect(response.status(), what).toBe(401);
    expect(response.headers()['www-authenticate']).toContain('Bearer');
    expect((await json(response, '/posts')).errors[0].type).toBe('UnauthorizedError');
  }
  // The key as `?key=` works as well as the header, and never reaches the log (global-teardown.ts).
  expect((await request.get(`${API}/settings?key=${keys.reader}`)).status()).toBe(200);
});

test('posts by keyset: pages of `limit` cover the list once, newest first; filters; fields; bad parameters named', async ({ request }) => {
  const all = (await json(await get(request, '/posts?limit=100'), '/posts')).posts;
  expect(all.length).toBeGreaterThan(5);
  expect(all.length).toBeLessThan(100);
  const walked: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await json(await get(request, `/posts?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), '/posts');
    expect(page.meta.limit).toBe(4);
    expect(page.posts.length).toBeLessThanOrEqual(4);
    walked.push(...page.posts.map((post) => post.slug));
    cursor = page.meta.next;
  } while (cursor);
  expect(walked).toEqual(all.map((post) => post.slug));
  const times = all.map((post) => Date.parse(post.published_at));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  expect(walked).toContain(sample.slug);
  for (const post of hidden.posts) expect(walked).not.toContain(post.slug);
  // A hidden post is not found one by one either.
  expect((await get(request, `/posts/${hidden.posts[0].slug}`)).status()).toBe(404);

  const byTag = (await json(await get(request, '/posts?tag=ai&limit=100'), '/posts')).posts;
  expect(byTag.map((post) => post.slug)).toContain(sample.slug);
  for (const post of byTag) expect(post.tags.map((tag) => tag.slug)).toContain('ai');
  const byAuthor = (await json(await get(request, '/posts?author=david-jenkins&limit=100'), '/posts')).posts;
  expect(byAuthor.length).toBeGreaterThan(0);
  for (const post of byAuthor) expect(post.author.slug).toBe('david-jenkins');
  expect((await json(await get(request, '/posts?updated_since=2999-01-01T00:00:00Z'), '/posts')).posts).toEqual([]);
  const slim = (await json(await get(request, `/posts/${sample.slug}?fields=slug,title`), '/posts/{slug}')).posts[0];
  expect(slim).toEqual({ slug: sample.slug, title: sample.title });

  for (const [query, parameter] of [
    ['limit=0', 'limit'],
    ['tags=ai', 'tags'],
    ['cursor=not-ours', 'cursor'],
    ['fields=slug,password_hash', 'fields'],
  ]) {
    const response = await get(request, `/posts?${query}`);
    expect(response.status(), query).toBe(400);
    expect((await json(response, '/posts')).errors[0]).toMatchObject({ type: 'BadRequestError', parameter });
  }
  expect((await get(request, '/posts/no-such-post-here')).status()).toBe(404);
});

test('ETag, then 304 for If-None-Match; answers come from the page cache', async ({ request }) => {
  // A query no one asked before: a miss the first time, then the page cache's memory tier.
  const path = `/tags?limit=${2 + Math.floor(Math.random() * 90)}&fields=slug,count`;
  const missesBefore = await metric(request, 'miss');
  const first = await get(request, path);
  expect(first.status()).toBe(200);
  await json(first, '/tags');
  const etag = first.headers().etag;
  expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  expect(first.headers()['cache-control']).toContain('no-cache');
  expect(await metric(request, 'miss')).toBeGreaterThan(missesBefore);

  const hitsBefore = await metric(request, 'memory');
  const again = await get(request, path, { headers: { 'if-none-match': etag } });
  expect(again.status()).toBe(304);
  expect(again.headers().etag).toBe(etag);
  expect(await again.body()).toHaveLength(0);
  expect(await metric(request, 'memory')).toBeGreaterThan(hitsBefore);
  // Another key reads the same cached answer: same bytes, same ETag.
  expect((await get(request, path, { key: keys.tiny, headers: { 'if-none-match': etag } })).status()).toBe(304);
  expect((await get(request, path, { headers: { 'if-none-match': '"something-else"' } })).status()).toBe(200);
});

test('CORS: the configured origin may read, another may not', async ({ request }) => {
  const allowed = await get(request, '/settings', { headers: { origin: CORS_ORIGIN } });
  expect(allowed.status()).toBe(200);
  expect(allowed.headers()['access-control-allow-origin']).toBe(CORS_ORIGIN);
  expect(allowed.headers()['access-control-expose-headers']).toContain('ETag');
  expect(allowed.headers().vary).toContain('Origin');
  const other = await get(request, '/settings', { headers: { origin: 'https://elsewhere.e2e.test' } });
  expect(other.status()).toBe(200);
  expect(other.headers()['access-control-allow-origin']).toBeUndefined();

  const preflight = await request.fetch(`${API}/posts`, {
    method: 'OPTIONS',
    headers: { origin: CORS_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()['access-control-allow-origin']).toBe(CORS_ORIGIN);
  expect(preflight.headers()['access-control-allow-headers']).toContain('Authorization');
  const refusedPreflight = await request.fetch(`${API}/posts`, {
    method: 'OPTIONS',
    headers: { origin: 'https://elsewhere.e2e.test', 'access-control-request-method': 'GET' },
  });
  expect(refusedPreflight.headers()['access-control-allow-origin']).toBeUndefined();
  // A 401 carries the CORS headers too, so the other site's script can read why.
  const unauthorized = await get(request, '/settings', { key: null, headers: { origin: CORS_ORIGIN } });
  expect(unauthorized.status()).toBe(401);
  expect(unauthorized.headers()['access-control-allow-origin']).toBe(CORS_ORIGIN);
});

test("a key's requests per minute: past its limit, 429 with Retry-After; other keys go on", async ({ request }) => {
  const statuses: number[] = [];
  let last: APIResponse | null = null;
  for (let i = 0; i < 3; i++) {
    last = await get(request, '/settings', { key: keys.tiny });
    statuses.push(last.status());
  }
  // The tiny key was used once already (the 304 above): its third or fourth request this minute is refused.
  expect(statuses.at(-1)).toBe(429);
  const retryAfter = Number(last!.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(last!.headers()['ratelimit-limit']).toBe('2');
  expect((await json(last!, '/settings')).errors[0].type).toBe('TooManyRequestsError');
  expect((await get(request, '/settings')).status()).toBe(200);
});

test('openapi.json is served, and every answer above validates against it', async ({ request }) => {
  const response = await request.get(`${API}/openapi.json`);
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toBe('3.1.0');

  // The other resources once each, so that every schema meets a real answer.
  await json(await get(request, '/settings'), '/settings');
  const tags = await json(await get(request, '/tags?limit=3'), '/tags');
  await json(await get(request, `/tags/${tags.tags[0].slug}`), '/tags/{slug}');
  const authors = await json(await get(request, '/authors?limit=3'), '/authors');
  await json(await get(request, `/authors/${authors.authors[0].slug}`), '/authors/{slug}');
  const pages = await json(await get(request, '/pages'), '/pages');
  if (pages.pages.length > 0) await json(await get(request, `/pages/${pages.pages[0].slug}`), '/pages/{slug}');
  await json(await get(request, '/tags/no-such-tag-here'), '/tags/{slug}');

  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'api', components: document.components }, 'api');
  const schemaOf = (template: string, status: number) => {
    let answer = document.paths[template]?.get?.responses?.[String(status)];
    expect(answer, `${template} ${status} is described`).toBeTruthy();
    if (answer.$ref) answer = document.components.responses[answer.$ref.split('/').pop()];
    const schema = answer.content['application/json'].schema;
    return { ...schema, $ref: `api${schema.$ref}` };
  };
  expect(seen.length).toBeGreaterThan(20);
  const statuses = new Set<number>();
  for (const [template, status, body] of seen) {
    const validate = ajv.compile(schemaOf(template, status));
    expect(validate(body), `${template} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
    statuses.add(status);
  }
  expect([...statuses].sort()).toEqual([200, 400, 401, 404, 429]);
});
