/**
 * Restarts keep the cache (issue 15): changes are recorded in PostgreSQL as they are announced
 * (lib/cache/notify.ts), and a page cache that starts on the disk tier an earlier process left
 * serves what is still fresh once its listener (lib/server/invalidation.ts) has read that history —
 * the one article changed while no server ran is rendered again, nothing else. Also: a server's own
 * announcements are not applied twice (which would throw away the renders begun in between), while
 * another process's are applied and handed to the warmer with their paths.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { closeDb } from '@/db/client';
import { notifyChange } from '@/lib/cache/notify';
import { PageCache, type CacheValue } from '@/lib/cache/page-cache';
import { startInvalidationListener, type Listener } from '@/lib/server/invalidation';

const databaseUrl = process.env.DATABASE_URL!;
const scratch = mkdtempSync(path.join(tmpdir(), 'broadsheet-history-'));
const listeners: Listener[] = [];
afterAll(async () => {
  for (const listener of listeners) await listener.stop();
  await closeDb();
  rmSync(scratch, { recursive: true, force: true });
});

const RUN = Date.now().toString(36);
const article = (slug: string): CacheValue => ({
  kind: 'APP_PAGE',
  html: `<h1>${slug}</h1>`,
  headers: { 'x-next-cache-tags': `_N_T_/layout,_N_T_/(site)/posts/[slug]/page,_N_T_/posts/${slug}` },
});
const HOME: CacheValue = { kind: 'APP_PAGE', html: '<h1>home</h1>', headers: { 'x-next-cache-tags': '_N_T_/layout,_N_T_/(site)/page,_N_T_/' } };
const pages = ['a', 'b', 'c'].map((name) => `history-${name}-${RUN}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function diskCache(dir: string): PageCache {
  return new PageCache({ memoryBytes: 1 << 20, diskBytes: 1 << 22, diskDir: dir });
}

async function listen(cache: PageCache, onExpired?: (change: unknown, paths: string[]) => void): Promise<Listener> {
  const listener = startInvalidationListener(databaseUrl, cache, { log: () => {}, onExpired });
  listeners.push(listener);
  await vi.waitFor(() => expect(listener.connected && cache.trustsHistory).toBe(true), { timeout: 10_000 });
  return listener;
}

describe('the change history in PostgreSQL', () => {
  it('records every change that touches pages, with its time, and nothing for an empty one', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const before = Date.now();
      await notifyChange({ posts: [pages[0]] }, [`/posts/${pages[0]}`]);
      await notifyChange({});
      const { rows } = await client.query<{ change: unknown; at: Date }>(`select change, at from page_changes where at >= $1 order by id`, [new Date(before - 5)]);
      const ours = rows.filter((row) => JSON.stringify(row.change).includes(RUN));
      expect(ours.map((row) => row.change)).toEqual([{ posts: [pages[0]] }]);
      expect(ours[0].at.getTime()).toBeGreaterThanOrEqual(before - 5);
    } finally {
      await client.end();
    }
  });

  it('a cache restarted on its disk tier serves what was fresh and renders only what changed meanwhile', async () => {
    const dir = path.join(scratch, 'pages');
    const first = diskCache(dir);
    const firstListener = await listen(first);
    for (const slug of pages) {
      expect(await first.get(`/posts/${slug}`)).toBeNull();
      first.set(`/posts/${slug}`, article(slug), { revalidate: 3600 });
    }
    expect(await first.get('/')).toBeNull();
    first.set('/', HOME, { revalidate: 3600 });
    await vi.waitFor(() => expect(readdirSync(dir).filter((name) => !name.startsWith('.'))).toHaveLength(4));
    await firstListener.stop();
    await sleep(5);

    // While no server runs: one article is edited (its page and the lists change).
    await notifyChange({ posts: [pages[1]], lists: true }, [`/posts/${pages[1]}`, '/']);
    await sleep(5);

    const second = diskCache(dir);
    // Nothing from before the start is served until the history is read...
    expect(await second.get(`/posts/${pages[0]}`)).toBeNull();
    await listen(second);
    // ...and then everything that did not change is.
    expect((await second.get(`/posts/${pages[0]}`))?.value).toEqual(article(pages[0]));
    expect((await second.get(`/posts/${pages[2]}`))?.value).toEqual(article(pages[2]));
    expect(await second.get(`/posts/${pages[1]}`)).toBeNull();
    expect(await second.get('/')).toBeNull();
  });

  it('applies and warms another process’s change with its paths, and never applies its own twice', async () => {
    const cache = new PageCache({ memoryBytes: 1 << 20, diskBytes: 0, diskDir: null });
    const warmed: string[][] = [];
    await listen(cache, (_change, paths) => warmed.push(paths));
    const slug = pages[2];
    await sleep(5);
    expect(await cache.get(`/posts/${slug}`)).toBeNull();
    cache.set(`/posts/${slug}`, article(slug), { revalidate: 3600 });

    // This process's own announcement (notifyChange names it): heard, not applied again.
    await notifyChange({ posts: [slug] }, [`/posts/${slug}`]);
    await sleep(300);
    expect(await cache.get(`/posts/${slug}`)).not.toBeNull();
    expect(warmed).toEqual([]);

    // Another process's (the CLI's, another server's): applied, and its paths handed to the warmer.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`select pg_notify('broadsheet_changes', $1)`, [JSON.stringify({ posts: [slug], paths: [`/posts/${slug}`], origin: 'another' })]);
    } finally {
      await client.end();
    }
    await vi.waitFor(() => expect(warmed).toEqual([[`/posts/${slug}`]]));
    expect(await cache.get(`/posts/${slug}`)).toBeNull();
  });
});
