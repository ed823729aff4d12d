/**
 * Observability of the real production server (issue 16): `/metrics` behind METRICS_TOKEN (401
 * without it, Prometheus text with it) whose figures move as readers read — request durations by
 * route kind, page-cache lookups by tier, renders — with the database pools and the job queue's
 * depth; and one JSON log line per request, found by the `X-Request-Id` the response carried.
 * The server runs with tests/e2e/observe-env.ts (playwright.config.ts); global-teardown.ts checks
 * the whole run's log for secrets.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { test, expect, type APIRequestContext } from '@playwright/test';
import { sample } from './data';
import { METRICS_TOKEN, serverLogFile } from './observe-env';

type Labels = Record<string, string>;

/** Every sample of one metric in Prometheus's text format, with its labels. */
function samples(text: string, name: string): { labels: Labels; value: number }[] {
  const out: { labels: Labels; value: number }[] = [];
  const line = new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`);
  for (const row of text.split('\n')) {
    const match = line.exec(row);
    if (!match) continue;
    const labels: Labels = {};
    for (const pair of (match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[pair[1]] = pair[2];
    out.push({ labels, value: Number(match[2]) });
  }
  return out;
}

/** The sum of a metric's samples whose labels include `where`. */
function total(text: string, name: string, where: Labels = {}): number {
  return samples(text, name)
    .filter((s) => Object.entries(where).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(request: APIRequestContext): Promise<string> {
  const response = await request.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status()).toBe(200);
  return response.text();
}

const CACHED_TIERS = ['memory', 'disk', 'redis', 'replay'];

test('/metrics: 401 without the token or with a wrong one, never cached', async ({ request }) => {
  for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: METRICS_TOKEN }] as Record<string, string>[]) {
    const response = await request.get('/metrics', { headers });
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toContain('Bearer');
    expect(response.headers()['cache-control']).toBe('no-store');
    expect(await response.text()).not.toContain('broadsheet_');
  }
  // The token in the query string is not a way in (it would end up in proxies' logs).
  expect((await request.get(`/metrics?token=${METRICS_TOKEN}`)).status()).toBe(401);
});

test('/metrics: Prometheus text whose figures move as readers read', async ({ request }) => {
  const before = await scrape(request);
  for (const name of [
    'broadsheet_http_request_duration_seconds',
    'broadsheet_page_cache_lookups_total',
    'broadsheet_renders_total',
    'broadsheet_db_pool_connections',
    'broadsheet_job_queue_depth',
    'broadsheet_render_gate_requests',
    'broadsheet_warm_pages',
  ]) {
    expect(before, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
  }
  expect(before).toMatch(/^process_resident_memory_bytes \d/m);
  // The pools and the queue are read from the running server: at least one open connection, a depth.
  expect(total(before, 'broadsheet_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
  expect(samples(before, 'broadsheet_job_queue_depth')).toHaveLength(1);
  expect(samples(before, 'broadsheet_job_queue_depth')[0].value).toBeGreaterThanOrEqual(0);

  // An article read twice (the second time from a cache tier), a search (rendered every time), a feed.
  const article = `/posts/${sample.slug}`;
  for (const path of [article, article, `/search?q=${encodeURIComponent(sample.searchWord)}`, '/feed.xml']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    await response.body();
  }
  const count = (text: string, kind: string) => total(text, 'broadsheet_http_request_duration_seconds_count', { kind });
  const cached = (text: string) => CACHED_TIERS.reduce((sum, tier) => sum + total(text, 'broadsheet_page_cache_lookups_total', { tier }), 0);
  // The log line (and so the metric) is written when the response is closed: poll, not sleep.
  await expect
    .poll(async () => {
      const after = await scrape(request);
      return {
        article: count(after, 'article') - count(before, 'article'),
        list: count(after, 'list') - count(before, 'list') >= 1,
        feed: count(after, 'feed') - count(before, 'feed') >= 1,
        cached: cached(after) - cached(before) >= 1,
        listRenders: total(after, 'broadsheet_renders_total', { kind: 'list' }) - total(before, 'broadsheet_renders_total', { kind: 'list' }) >= 1,
        ok:
          total(after, 'broadsheet_http_request_duration_seconds_count', { status: '2xx' }) -
            total(before, 'broadsheet_http_request_duration_seconds_count', { status: '2xx' }) >=
          4,
      };
    })
    .toEqual({ article: 2, list: true, feed: true, cached: true, listRenders: true, ok: true });
});

test('one JSON log line per request: its id (also X-Request-Id), method, path without the query, status, duration, cache outcome', async ({ request }) => {
  const reqId = `e2e-${randomUUID()}`;
  const path = `/posts/${sample.slug}`;
  // Read once so that the second read is a cache hit (or a replay).
  await (await request.get(path)).body();
  const response = await request.get(`${path}?utm_source=e2e&token=not-for-the-log`, { headers: { 'x-request-id': reqId } });
  expect(response.status()).toBe(200);
  expect(response.headers()['x-request-id']).toBe(reqId);

  // An id a client made up that is not sane is replaced, not echoed into the log.
  const forged = await request.get('/robots.txt', { headers: { 'x-request-id': 'forged id {"level":60,"msg":"x"}' } });
  expect(forged.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

  const lineOf = (id: string) =>
    readFileSync(serverLogFile(), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((line) => line.reqId === id && line.msg === 'request');
  await expect.poll(() => lineOf(reqId) ?? null).not.toBeNull();
  const line = lineOf(reqId)!;
  expect(line).toMatchObject({ level: 30, method: 'GET', path, status: 200, kind: 'article' });
  expect(['hit', 'replay']).toContain(line.cache);
  expect(typeof line.ms).toBe('number');
  expect(typeof line.time).toBe('string');
  expect(JSON.stringify(line)).not.toContain('not-for-the-log');
  await expect.poll(() => lineOf(forged.headers()['x-request-id']!)?.path ?? null).toBe('/robots.txt');

  // A token address is logged without its token.
  const tokenPath = `/reset-password/${'Q'.repeat(43)}`;
  const reset = await request.get(tokenPath);
  const resetId = reset.headers()['x-request-id']!;
  await expect.poll(() => lineOf(resetId)?.path ?? null).toBe('/reset-password/:token');
});
