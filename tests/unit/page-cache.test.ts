import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { articleOf, PageCache, type CacheValue } from '@/lib/cache/page-cache';

const T0 = 1_800_000_000_000;
const page = (tags: string, html = '<p>x</p>'): CacheValue => ({ kind: 'APP_PAGE', html, headers: { 'x-next-cache-tags': tags } });
const ARTICLE = page('_N_T_/layout,_N_T_/(site)/posts/[slug]/layout,_N_T_/(site)/posts/[slug]/page,_N_T_/posts/hello');
const HOME = page('_N_T_/layout,_N_T_/(site)/page,_N_T_/');
const memoryOnly = () => new PageCache({ memoryBytes: 1 << 20, diskBytes: 0, diskDir: null }, T0);

/** Stores a render that began (missed) at `from` and finished at `to`. */
async function render(cache: PageCache, key: string, value: CacheValue, from: number, to = from + 20) {
  expect(await cache.get(key, from)).toBeNull();
  cache.set(key, value, { revalidate: 3600 }, to);
}

describe('the page cache', () => {
  it('knows an article page by its implicit tags, and a list by their absence', () => {
    expect(articleOf(ARTICLE)).toBe('hello');
    expect(articleOf(HOME)).toBeNull();
    expect(articleOf(page('_N_T_/(site)/posts/[slug]/page,_N_T_/posts/%E4%BD%A0%E5%A5%BD'))).toBe('你好');
  });

  it('knows a page at /<slug> by its route, and expires it (its 404 and redirects too) with its slug', async () => {
    const ABOUT = page('_N_T_/layout,_N_T_/(site)/layout,_N_T_/(site)/[slug]/layout,_N_T_/(site)/[slug]/page,_N_T_/about');
    expect(articleOf(ABOUT)).toBe('about');
    // A page slugged "layout" shares the root layout's tag: no slug, judged as a list (never stale-forever).
    expect(articleOf(page('_N_T_/layout,_N_T_/(site)/[slug]/page'))).toBeNull();
    const cache = memoryOnly();
    await render(cache, '/about', ABOUT, T0 + 10);
    cache.expire({ posts: ['other'], lists: true }, T0 + 100);
    expect(await cache.get('/about', T0 + 101)).not.toBeNull();
    cache.expire({ posts: ['about'] }, T0 + 200);
    expect(await cache.get('/about', T0 + 201)).toBeNull();
  });

  it('keeps pages in memory as bytes, read back as they were stored, one entry object per recent page', async () => {
    const cache = memoryOnly();
    const body = '<p>' + 'é'.repeat(2_000) + '</p>';
    const value: CacheValue = {
      ...page('_N_T_/layout,_N_T_/(site)/page,_N_T_/', body),
      rscData: Buffer.from('flight'),
      segmentData: new Map([['/_tree', Buffer.from('tree')]]),
    };
    expect(await cache.get('/', T0 + 1)).toBeNull();
    const stored = cache.set('/', value, { revalidate: 3600 }, T0 + 20);
    // The same object for the request that stored it and for the lookups after (lib/cache/served.ts counts entries by identity).
    const first = await cache.get('/', T0 + 30);
    expect(first).toBe(stored);
    expect(await cache.get('/', T0 + 31)).toBe(first);
    // Pushed out of the few kept as objects, it is read back from its bytes, equal in every field.
    for (let i = 0; i < 40; i += 1) cache.set(`/tags/t${i}`, page('_N_T_/tags/t'), { revalidate: 3600 }, T0 + 40);
    const again = await cache.get('/', T0 + 50);
    expect(again).not.toBe(stored);
    expect(again).toEqual(stored);
    expect(again?.value?.html).toBe(body);
    expect(Buffer.isBuffer(again?.value?.rscData)).toBe(true);
    expect((again?.value?.segmentData as Map<string, Buffer>).get('/_tree')?.toString()).toBe('tree');
  });

  it('serves what it stored until something it shows changes', async () => {
    const cache = memoryOnly();
    await render(cache, '/posts/hello', ARTICLE, T0 + 10);
    await render(cache, '/', HOME, T0 + 10);
    expect((await cache.get('/posts/hello', T0 + 100))?.value).toEqual(ARTICLE);

    // Another post changed: the lists go stale, this article does not.
    cache.expire({ posts: ['other'], lists: true }, T0 + 200);
    expect(await cache.get('/posts/hello', T0 + 201)).not.toBeNull();
    expect(await cache.get('/', T0 + 201)).toBeNull();

    // This post changed: its page goes stale too.
    cache.expire({ posts: ['hello'] }, T0 + 300);
    expect(await cache.get('/posts/hello', T0 + 301)).toBeNull();
  });

  it('dates a render from the miss that began it, so a change committed meanwhile is not cached for good', async () => {
    const cache = memoryOnly();
    expect(await cache.get('/', T0 + 100)).toBeNull(); // render starts, reads the old list...
    cache.expire({ lists: true }, T0 + 110); // ...a publish commits...
    cache.set('/', HOME, { revalidate: 3600 }, T0 + 130); // ...the old list is stored
    expect(await cache.get('/', T0 + 140)).toBeNull();
  });

  it('forgets everything on a change to everything, and trusts nothing older than itself', async () => {
    const cache = memoryOnly();
    await render(cache, '/posts/hello', ARTICLE, T0 + 10);
    cache.expire({ all: true }, T0 + 50);
    expect(await cache.get('/posts/hello', T0 + 60)).toBeNull();
    // Entries dated before the cache was created (another process, a previous run) are stale.
    cache.set('/old', HOME, { revalidate: 3600 }, T0 - 1);
    expect(await cache.get('/old', T0 + 60)).toBeNull();
  });

  it('lets a scheduled post go live to the millisecond: entries rendered before its time go stale at its time', async () => {
    const cache = memoryOnly();
    cache.setDueTimes([T0 + 5_000, T0 + 9_000], T0);
    await render(cache, '/', HOME, T0 + 100);
    await render(cache, '/posts/later', page('_N_T_/(site)/posts/[slug]/page,_N_T_/posts/later'), T0 + 100);
    expect(await cache.get('/', T0 + 4_999)).not.toBeNull();
    expect(await cache.get('/', T0 + 5_000)).toBeNull();
    expect(await cache.get('/posts/later', T0 + 5_000)).toBeNull(); // its cached 404 too
    await render(cache, '/', HOME, T0 + 5_001);
    expect(await cache.get('/', T0 + 8_999)).not.toBeNull();
    expect(await cache.get('/', T0 + 9_000)).toBeNull();
  });

  it('serves stale pages while the database is down, rather than errors', async () => {
    const cache = memoryOnly();
    await render(cache, '/', HOME, T0 + 10);
    cache.expire({ lists: true }, T0 + 20);
    cache.databaseDown = true;
    expect(await cache.get('/', T0 + 30)).not.toBeNull();
    cache.databaseDown = false;
    expect(await cache.get('/', T0 + 30)).toBeNull();
  });

  it('keeps what does not fit in memory on disk, within its own byte budget', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'page-cache-')), 'pages');
    const cache = new PageCache({ memoryBytes: 3_000, diskBytes: 200_000, diskDir: dir }, T0);
    const now = Date.now();
    for (let i = 0; i < 20; i += 1) await render(cache, `/posts/p${i}`, page(`_N_T_/(site)/posts/[slug]/page,_N_T_/posts/p${i}`, 'x'.repeat(1_000)), T0 + 10);
    // The disk writes are not awaited by set(): wait until all 20 files are there and written.
    await vi.waitFor(() => {
      const files = readdirSync(dir);
      expect(files.length).toBe(20);
      for (const file of files) expect(statSync(join(dir, file)).size).toBeGreaterThan(1_000);
    });
    const first = await cache.get('/posts/p0', T0 + 100);
    expect(first?.value?.html).toBe('x'.repeat(1_000));
    expect(first?.post).toBe('p0');
    // Freshness applies to what comes back from disk too.
    cache.expire({ posts: ['p1'] }, T0 + 200);
    expect(await cache.get('/posts/p1', T0 + 201)).toBeNull();
    expect(Date.now() - now).toBeLessThan(5_000);
  });

  it('reads through a shared tier and writes every render to it', async () => {
    const shared = new Map<string, Buffer>();
    const remote = { get: async (key: string) => shared.get(key) ?? null, set: (key: string, bytes: Buffer) => void shared.set(key, bytes) };
    const a = memoryOnly();
    const b = memoryOnly();
    a.setRemote(remote);
    b.setRemote(remote);
    await render(a, '/', HOME, T0 + 10);
    expect((await b.get('/', T0 + 20))?.value).toEqual(HOME);
    // Each instance judges freshness by what it has heard.
    b.expire({ lists: true }, T0 + 30);
    expect(await b.get('/', T0 + 40)).toBeNull();
    expect(await a.get('/', T0 + 40)).not.toBeNull();
  });
});

describe('the page cache across a restart', () => {
  const diskCache = (dir: string, start: number) => new PageCache({ memoryBytes: 1 << 20, diskBytes: 1 << 20, diskDir: dir }, start);
  const filesIn = (dir: string) => readdirSync(dir).filter((name) => /^[0-9a-f]{40}$/.test(name));

  /** A first process renders three pages to disk; it stops at T0 + 1,000. */
  async function firstProcess(): Promise<string> {
    const dir = join(mkdtempSync(join(tmpdir(), 'page-cache-restart-')), 'pages');
    const cache = diskCache(dir, T0);
    cache.trustHistory([], T0 - 86_400_000);
    await render(cache, '/', HOME, T0 + 10);
    await render(cache, '/posts/hello', ARTICLE, T0 + 10);
    await render(cache, '/posts/other', page('_N_T_/(site)/posts/[slug]/page,_N_T_/posts/other'), T0 + 10);
    await vi.waitFor(() => expect(filesIn(dir)).toHaveLength(3));
    return dir;
  }

  it('serves what was fresh before the restart once the change history is read, and not before', async () => {
    const dir = await firstProcess();
    const next = diskCache(dir, T0 + 2_000);
    // Until the history is read, nothing from before the start is trusted.
    expect(next.trustsHistory).toBe(false);
    expect(await next.get('/posts/hello', T0 + 2_001)).toBeNull();
    // While it was down, "other" was edited: only that article is stale.
    next.trustHistory([{ posts: ['other'], at: T0 + 1_500 }], T0 - 86_400_000);
    expect((await next.get('/posts/hello', T0 + 2_002))?.value).toEqual(ARTICLE);
    expect((await next.get('/', T0 + 2_002))?.value).toEqual(HOME);
    expect(await next.get('/posts/other', T0 + 2_002)).toBeNull();
  });

  it('judges kept pages by lists, settings, due times and the history horizon', async () => {
    const dir = await firstProcess();
    const lists = diskCache(dir, T0 + 2_000);
    lists.trustHistory([{ lists: true, at: T0 + 1_500 }], T0 - 86_400_000);
    expect(await lists.get('/', T0 + 2_001)).toBeNull();
    expect(await lists.get('/posts/hello', T0 + 2_001)).not.toBeNull();

    const settings = diskCache(dir, T0 + 2_000);
    settings.trustHistory([{ all: true, at: T0 + 1_500 }], T0 - 86_400_000);
    expect(await settings.get('/posts/hello', T0 + 2_001)).toBeNull();

    // A scheduled post came due while no server ran: everything rendered before is stale.
    const due = diskCache(dir, T0 + 2_000);
    due.setDueTimes([], T0 + 2_000, T0 + 1_200);
    due.trustHistory([], T0 - 86_400_000);
    expect(await due.get('/posts/hello', T0 + 2_001)).toBeNull();

    // Older than the history reaches: stale.
    const late = diskCache(dir, T0 + 2_000);
    late.trustHistory([], T0 + 500);
    expect(await late.get('/posts/hello', T0 + 2_001)).toBeNull();
  });

  it('never adopts a half-written file', async () => {
    const dir = await firstProcess();
    writeFileSync(join(dir, '.partial-0123-1-abc'), 'half');
    diskCache(dir, T0 + 2_000);
    expect(readdirSync(dir).some((name) => name.startsWith('.partial-'))).toBe(false);
    expect(filesIn(dir)).toHaveLength(3);
  });
});
