/**
 * The cold path (issue 15), on a production server of this spec's own (scripts/serve.ts, the e2e
 * build, the test database), counting renders the way the server itself counts them
 * (`broadsheet_renders_total` on /metrics):
 * - one render per page however many readers: 60 concurrent readers of a just-changed home page
 *   cause exactly one render, and every one of them gets the page;
 * - a change warms: after a change is announced, the article it names, the home page, the feeds and
 *   the article's tag and author pages are rendered by the server before any reader asks;
 * - a restart keeps the cache: pages read before a restart are read after it with no render, except
 *   the one article changed while the server was down, and answered with the responses kept on disk
 *   (without Next.js).
 *
 * Changes are announced the way the CLI announces them (lib/cache/notify.ts: a `page_changes` row
 * and a NOTIFY in one statement). The config's own server hears them too and only re-renders.
 * Playwright project `cold-path`.
 */
import { expect, test } from '@playwright/test';
import type pg from 'pg';
import { sample } from './data';
import { BroadsheetServer, freePort, withClient } from './scale-out-helpers';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const TOKEN = 'cold-path-metrics-token-3e9d';
const AUTH_SECRET = 'cold-path-secret-cold-path-secret-0123456789';
const databaseUrl = () => process.env.DATABASE_URL!;
/** Seeded fillers and the sample: public articles of the test database (tests/e2e/data.ts). */
const ARTICLES = [sample.path, ...Array.from({ length: 12 }, (_, i) => `/posts/filler-post-${String(i + 1).padStart(2, '0')}`)];

let server: BroadsheetServer | null = null;
let port = 0;

async function start(): Promise<BroadsheetServer> {
  process.env.METRICS_TOKEN = TOKEN;
  const started = await BroadsheetServer.start({ name: 'cold', port, databaseUrl: databaseUrl(), siteUrl: `http://localhost:${port}`, authSecret: AUTH_SECRET });
  // The change history is read once the LISTEN connection is up: /readyz says so.
  await expect.poll(async () => (await fetch(`${started.origin}/readyz`)).status, { timeout: 15_000 }).toBe(200);
  return started;
}

const metrics = async () => (await fetch(`${server!.origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

/** Renders the server has counted, of one kind or all. */
async function renders(kind?: string): Promise<number> {
  let total = 0;
  for (const match of (await metrics()).matchAll(/^broadsheet_renders_total\{kind="(\w+)"\} (\d+)/gm)) if (!kind || match[1] === kind) total += Number(match[2]);
  return total;
}

/** Cached pages the server has answered from one tier: `replay` is a kept response, sent without Next.js. */
async function lookups(tier: string): Promise<number> {
  const match = new RegExp(`^broadsheet_page_cache_lookups_total\\{tier="${tier}"\\} (\\d+)`, 'm').exec(await metrics());
  return Number(match?.[1] ?? 0);
}

async function read(path: string): Promise<{ status: number; cache: string | null; body: string }> {
  const response = await fetch(`${server!.origin}${path}`, { headers: { 'accept-encoding': 'br, gzip' }, redirect: 'manual' });
  return { status: response.status, cache: response.headers.get('x-nextjs-cache'), body: await response.text() };
}

/** A change as lib/cache/notify.ts announces it: recorded in the history, then notified. */
async function announce(client: pg.Client, change: { posts?: string[]; lists?: boolean }, paths: string[] = []): Promise<void> {
  await client.query(`with recorded as (insert into page_changes (change) values ($1::jsonb) returning id) select pg_notify('broadsheet_changes', $2)`, [
    JSON.stringify(change),
    JSON.stringify({ ...change, paths }),
  ]);
}

/** Waits until the server has rendered nothing for a while (its warm is done). */
async function quiet(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 60; i += 1) {
    const now = await renders();
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test.beforeAll(async () => {
  if (!process.env.DATABASE_URL) throw new Error('cold-path.spec.ts needs DATABASE_URL (the test database).');
  port = await freePort(3470);
  server = await start();
});

test.afterAll(async () => {
  await server?.stop();
});

test('sixty readers of a just-changed home page cause one render, and all get the page', async () => {
  await read('/');
  expect((await read('/')).cache).toBe('HIT');
  await withClient(databaseUrl(), async (client) => {
    await client.query('LISTEN broadsheet_changes');
    const heard = new Promise((resolve) => client.once('notification', resolve));
    const before = await renders('list');
    await announce(client, { lists: true });
    await heard;
    const answers = await Promise.all(Array.from({ length: 60 }, () => read('/')));
    await quiet();
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    for (const answer of answers) expect(answer.body).toContain(sample.title.replace(/'/g, '&#x27;'));
    expect(await renders('list')).toBe(before + 1);
  });
});

test('a change is rendered before readers ask: the article, home, feeds, its tag and author pages', async () => {
  await withClient(databaseUrl(), (client) => announce(client, { posts: [sample.slug], lists: true }, [sample.path, '/', '/feed.xml', '/sitemap.xml']));
  await quiet();
  const before = await renders();
  const pages = [sample.path, '/', '/feed.xml', '/sitemap.xml', sample.tags[0].path, sample.authorPath];
  for (const path of pages) {
    const answer = await read(path);
    expect.soft(answer.status, path).toBe(200);
    expect.soft(answer.cache, `${path} was not warmed`).toBe('HIT');
  }
  expect(await renders()).toBe(before);
});

test('after a restart, pages read before are served without a render, except what changed meanwhile', async () => {
  for (const path of ARTICLES) expect((await read(path)).status).toBe(200);
  // The server writes its disk tier in the background: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await server!.stop();
  // Changed while no server of ours listened: only the history in PostgreSQL tells.
  const changed = ARTICLES[3];
  await withClient(databaseUrl(), (client) => announce(client, { posts: [changed.split('/').pop()!] }));
  server = await start();
  const before = await renders('article');
  const replayed = await lookups('replay');
  const misses: string[] = [];
  for (const path of ARTICLES) {
    const answer = await read(path);
    expect(answer.status).toBe(200);
    if (answer.cache !== 'HIT') misses.push(path);
  }
  expect(misses).toEqual([changed]);
  expect(await renders('article')).toBe(before + 1);
  // The unchanged ones were the responses kept on disk before the restart, sent without Next.js.
  expect(await lookups('replay')).toBe(replayed + ARTICLES.length - 1);
});
