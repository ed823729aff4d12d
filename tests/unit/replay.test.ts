import { createServer, request, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PageCache, type CacheValue } from '@/lib/cache/page-cache';
import { compress } from '@/lib/server/compress';
import { ReplayCache } from '@/lib/server/replay';
import { createResponder } from '@/lib/server/respond';

/**
 * The server answers later readers of a cached page from what it sent the first one, without
 * Next.js — but only while the page cache would still serve the entry those bytes came from.
 * Next.js is stood in for by a handler that uses a real PageCache the way lib/cache/handler.mjs does.
 */

const BOOT = '(self.__next_f=self.__next_f||[]).push([0])';
const pageFor = (path: string, version: number) =>
  `<!doctype html><html><body><h1>${path} v${version}</h1><p>${'Words for readers. '.repeat(300)}</p><script nonce="old">${BOOT}</script></body></html>`;
const FEED_TAGS = '_N_T_/layout,_N_T_/feed.xml/route,_N_T_/feed.xml';

let cache: PageCache;
const renders: Record<string, number> = {};
/** How often Next.js was asked for each path at all (a replayed answer does not ask it). */
const asked: Record<string, number> = {};
let setCookie = false;

function valueFor(path: string): CacheValue {
  renders[path] = (renders[path] ?? 0) + 1;
  const article = /^\/posts\/([\w-]+)$/.exec(path)?.[1];
  if (path === '/feed.xml') {
    return {
      kind: 'APP_ROUTE',
      body: Buffer.from(`<rss><title>feed v${renders[path]}</title>${'<item/>'.repeat(400)}</rss>`),
      headers: { 'x-next-cache-tags': FEED_TAGS },
    };
  }
  const tags = article ? `_N_T_/layout,_N_T_/(site)/posts/[slug]/page,_N_T_/posts/${article}` : '_N_T_/layout,_N_T_/(site)/page,_N_T_/';
  return { kind: 'APP_PAGE', html: pageFor(path, renders[path]), headers: { 'x-next-cache-tags': tags } };
}

const nonceOf = (req: IncomingMessage) => /'nonce-([\w-]+)'/.exec(String(req.headers['content-security-policy']))?.[1] ?? '';

/** Stands in for Next.js: page-cache lookup, a render on a miss, the answer with x-nextjs-cache. */
async function fakeNext(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  asked[path] = (asked[path] ?? 0) + 1;
  if (path === '/search') {
    // A dynamic page next.config.js marks as replayable like a list: rendered per request, no cache entry.
    renders[req.url!] = (renders[req.url!] ?? 0) + 1;
    // A post published while this result page renders (its query ran before the commit).
    if (req.url!.includes('during') && renders[req.url!] === 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await change({ lists: true });
    }
    res.setHeader('x-broadsheet-replay', 'lists');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-cache, no-store, max-age=0, must-revalidate' });
    res.end(
      `<!doctype html><html><body><h1>results for ${req.url} v${renders[req.url!]}</h1>${'<li>hit</li>'.repeat(200)}<script nonce="${nonceOf(req)}">${BOOT}</script></body></html>`,
    );
    return;
  }
  let entry = await cache.get(path);
  const state = entry ? 'HIT' : 'MISS';
  entry ??= cache.set(path, valueFor(path), { revalidate: 3600 });
  if (setCookie) res.setHeader('Set-Cookie', 'flash=1; Path=/');
  const value = entry.value!;
  if (value.kind === 'APP_ROUTE') {
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', 'x-nextjs-cache': state });
    res.end(value.body as Buffer);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ETag: `"${entry.lastModified}-${path.length}"`, Vary: 'rsc', 'x-nextjs-cache': state });
  res.end(value.html as string);
}

let server: Server;
let base: string;
let replay: ReplayCache;
let requestIds = 0;

beforeAll(async () => {
  cache = new PageCache({ memoryBytes: 8 << 20, diskBytes: 0, diskDir: null }, Date.now() - 1000);
  replay = new ReplayCache(4 << 20, (entry, now) => cache.isServable(entry, now));
  const respond = createResponder(fakeNext, { https: false, databaseDown: () => cache.databaseDown, replay, log: () => {} });
  server = createServer((req, res) => {
    // As lib/observe/http.ts does before the responder: each response names its own log line.
    const id = `request-${(requestIds += 1)}`;
    res.setHeader('X-Request-Id', id);
    void respond(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  setCookie = false;
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }>((resolve, reject) => {
    request(`${base}${path}`, { headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

/** A change, then the next millisecond: a render that begins in the change's own millisecond is redone (page-cache.ts). */
async function change(what: Parameters<PageCache['expire']>[0]): Promise<void> {
  cache.expire(what);
  await new Promise((resolve) => setTimeout(resolve, 2));
}

const text = (response: { headers: Record<string, unknown>; bytes: Buffer }) =>
  response.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(response.bytes).toString()
    : response.headers['content-encoding'] === 'gzip'
      ? gunzipSync(response.bytes).toString()
      : response.bytes.toString();

describe('answering cached pages without Next.js', () => {
  it('sends a later reader the same page, headers and policy, without asking Next.js again', async () => {
    const first = await get('/posts/alpha', { 'accept-encoding': 'br' });
    expect(first.headers['x-nextjs-cache']).toBe('MISS');
    expect(asked['/posts/alpha']).toBe(1);
    const second = await get('/posts/alpha', { 'accept-encoding': 'br' });
    expect(second.status).toBe(200);
    expect(second.headers['x-nextjs-cache']).toBe('HIT');
    expect(text(second)).toBe(text(first));
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['cache-control']).toBe('public, max-age=0, s-maxage=1, must-revalidate');
    expect(second.headers.vary).toBe('rsc, Accept-Encoding');
    expect(second.headers['content-type']).toBe('text/html; charset=utf-8');
    // Its own request id, not the one of the response it replays.
    expect(second.headers['x-request-id']).toBe(`request-${requestIds}`);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    // The policy allows the page's data script by hash; no nonce is reused across readers.
    const policy = String(second.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self' 'sha256-[\w+/=]+';/);
    expect(policy).not.toContain('nonce-');
    expect(asked['/posts/alpha']).toBe(1);
  });

  it('serves each encoding a reader asks for, compressed once', async () => {
    await get('/posts/beta', { 'accept-encoding': 'br' });
    const gzip = await get('/posts/beta', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.bytes).toString()).toContain('/posts/beta v1');
    const identity = await get('/posts/beta');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.bytes.toString()).toContain('/posts/beta v1');
    expect(Number(identity.headers['content-length'])).toBe(identity.bytes.length);
    const again = await get('/posts/beta', { 'accept-encoding': 'gzip' });
    expect(again.bytes.equals(gzip.bytes)).toBe(true);
    expect(asked['/posts/beta']).toBe(1);
  });

  it('answers If-None-Match with 304 and HEAD with headers only', async () => {
    const first = await get('/posts/gamma', { 'accept-encoding': 'br' });
    const unchanged = await get('/posts/gamma', { 'if-none-match': String(first.headers.etag) });
    expect(unchanged.status).toBe(304);
    expect(unchanged.bytes.length).toBe(0);
    const head = await get('/posts/gamma', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(first.bytes.length);
  });

  it('stops the moment what the page shows changes: the next reader gets a new render', async () => {
    await get('/posts/delta', { 'accept-encoding': 'br' });
    await get('/', { 'accept-encoding': 'br' });
    expect(text(await get('/posts/delta', { 'accept-encoding': 'br' }))).toContain('v1');

    await change({ posts: ['delta'] });
    const changed = await get('/posts/delta', { 'accept-encoding': 'br' });
    expect(changed.headers['x-nextjs-cache']).toBe('MISS');
    expect(text(changed)).toContain('/posts/delta v2');
    expect(text(await get('/posts/delta', { 'accept-encoding': 'br' }))).toContain('v2');
    // The home page did not show that post's page: it is still replayed.
    const homeRenders = renders['/'];
    await get('/', { 'accept-encoding': 'br' });
    expect(renders['/']).toBe(homeRenders);

    await change({ lists: true });
    expect(text(await get('/', { 'accept-encoding': 'br' }))).toContain('/ v2');
  });

  it('stops when a scheduled post comes due, to the millisecond', async () => {
    await get('/posts/epsilon');
    const due = Date.now() + 600;
    cache.setDueTimes([due]);
    expect(text(await get('/posts/epsilon'))).toContain('v1');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now()) + 5));
    expect(text(await get('/posts/epsilon'))).toContain('/posts/epsilon v2');
  });

  it('keeps route handlers (feeds) too, with an ETag of their bytes', async () => {
    const first = await get('/feed.xml', { 'accept-encoding': 'gzip' });
    expect(first.headers.etag).toMatch(/^"[\w-]{22}"$/);
    const second = await get('/feed.xml', { 'accept-encoding': 'gzip' });
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(asked['/feed.xml']).toBe(1);
    expect((await get('/feed.xml', { 'if-none-match': String(first.headers.etag) })).status).toBe(304);
    await change({ lists: true });
    const changed = await get('/feed.xml', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(changed.bytes).toString()).toContain('feed v2');
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('never replays a response that set a cookie, or answers a navigation or an action from it', async () => {
    setCookie = true;
    await get('/posts/zeta');
    const rendered = renders['/posts/zeta'];
    await get('/posts/zeta');
    expect(asked['/posts/zeta']).toBe(2); // not replayed: Next.js was asked again (a page-cache HIT, no render)
    setCookie = false;
    expect((await get('/posts/zeta')).headers['set-cookie']).toBeUndefined();
    expect(renders['/posts/zeta']).toBe(rendered);

    await get('/posts/zeta');
    const before = asked['/posts/zeta'];
    await get('/posts/zeta', { rsc: '1' });
    await get('/posts/zeta', { 'next-action': 'abc' });
    expect(asked['/posts/zeta']).toBe(before + 2);
  });

  it('serves nothing it kept while the page cache would not: a full expiry drops every replay', async () => {
    await get('/posts/eta');
    await change({ all: true });
    const after = await get('/posts/eta');
    expect(after.headers['x-nextjs-cache']).toBe('MISS');
    expect(after.bytes.toString()).toContain('/posts/eta v2');
  });
});

describe('list pages marked replayable (search)', () => {
  it('replays a result page per query until a public post changes, and never sends the marker', async () => {
    const first = await get('/search?q=otter', { 'accept-encoding': 'br' });
    expect(first.headers['x-broadsheet-replay']).toBeUndefined();
    expect(first.headers.etag).toMatch(/^"[\w-]{22}"$/);
    const second = await get('/search?q=otter', { 'accept-encoding': 'br' });
    expect(text(second)).toContain('results for /search?q=otter v1');
    expect(renders['/search?q=otter']).toBe(1);
    // The page's script carried the first reader's nonce: the replay allows it by hash instead.
    expect(String(second.headers['content-security-policy'])).toMatch(/'sha256-/);
    expect(String(second.headers['content-security-policy'])).not.toContain('nonce-');
    expect(second.headers['cache-control']).toBe('private, no-cache, no-store, max-age=0, must-revalidate');

    // Another query is its own page.
    expect(text(await get('/search?q=heron', { 'accept-encoding': 'br' }))).toContain('/search?q=heron v1');

    // An article changed: lists (and search) are stale.
    await change({ posts: ['some-post'], lists: true });
    expect(text(await get('/search?q=otter', { 'accept-encoding': 'br' }))).toContain('/search?q=otter v2');
    expect(renders['/search?q=otter']).toBe(2);
  });

  it('dates the replay from the request: a change committed during the render leaves it stale', async () => {
    expect(text(await get('/search?q=during'))).toContain('v1');
    expect(text(await get('/search?q=during'))).toContain('v2');
    expect(text(await get('/search?q=during'))).toContain('v2');
  });
});

describe('ReplayCache on its own', () => {
  it('answers a conditional read of a replay that has no Cache-Control or Vary with a bare 304', async () => {
    const bare = new ReplayCache(1 << 20, () => true);
    const entry = { lastModified: Date.now(), value: null, post: null };
    bare.remember('/search?q=kite', {
      entry,
      status: 200,
      headers: { 'content-type': 'text/html', etag: '"kite"' },
      body: Buffer.from('<p>kite</p>'),
      compressible: false,
      encoded: new Map(),
    });
    const errors: unknown[] = [];
    const plain = createServer((req, res) => {
      try {
        if (!bare.serve(req, res, null)) res.writeHead(404).end();
      } catch (error) {
        errors.push(error);
        res.writeHead(500).end();
      }
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const at = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/search?q=kite`;
    try {
      const answer = await new Promise<IncomingMessage>((resolve, reject) =>
        request(at, { headers: { 'if-none-match': '"kite"' } }, (res) => resolve(res.resume()))
          .on('error', reject)
          .end(),
      );
      expect(errors).toEqual([]);
      expect(answer.statusCode).toBe(304);
      expect(answer.headers.etag).toBe('"kite"');
      expect(answer.headers['cache-control']).toBeUndefined();
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  it('keeps within its byte budget, forgetting the least recently read', async () => {
    const small = new ReplayCache(40_000, () => true);
    const entry = { lastModified: Date.now(), value: null, post: null };
    for (let i = 0; i < 10; i += 1) {
      small.remember(`/p${i}`, {
        entry,
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: Buffer.alloc(10_000, 97),
        compressible: false,
        encoded: new Map(),
      });
    }
    expect(small.size).toBeLessThanOrEqual(3);
  });

  it('counts an encoding made later for a reader, and still keeps within its budget', async () => {
    const budget = 60_000;
    const small = new ReplayCache(budget, () => true);
    const entry = { lastModified: Date.now(), value: null, post: null };
    // Pages that compress poorly, so every encoding weighs about as much as the page.
    const page = () => Buffer.from(randomBytes(6_000).toString('base64'));
    for (let i = 0; i < 5; i += 1) {
      const body = page();
      small.remember(`/p${i}`, {
        entry,
        status: 200,
        headers: { 'content-type': 'text/html' },
        body,
        compressible: true,
        encoded: new Map([['br', compress(body, 'br', false)]]),
      });
    }
    expect(small.size).toBe(5);
    // Each reader asks for gzip: a second encoding per page, made from the kept brotli bytes.
    for (let i = 0; i < 5; i += 1) {
      const req = { url: `/p${i}`, method: 'GET', headers: {} } as IncomingMessage;
      const res = { writeHead: () => res, end: () => res } as unknown as ServerResponse;
      small.serve(req, res, 'gzip');
    }
    expect(small.bytes).toBeLessThanOrEqual(budget);
    expect(small.size).toBeLessThan(5);
  });
});

describe('kept on disk too (a directory given)', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'replays-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const page = (i: number) => Buffer.from(`<p>page ${i}: ${'words '.repeat(2_000)}</p>`);
  /** `fromPage`: made from a page-cache entry (else a list page kept per request, as a search's). */
  const keep = (cache: ReplayCache, url: string, body: Buffer, lastModified = Date.now(), fromPage = false) =>
    cache.remember(url, {
      entry: { lastModified, value: fromPage ? { kind: 'APP_PAGE' } : null, post: null },
      status: 200,
      headers: { 'content-type': 'text/html', etag: `"${url}"`, 'cache-control': 'public, max-age=0, s-maxage=1, must-revalidate' },
      body,
      compressible: true,
      encoded: new Map([['br', compress(body, 'br', false)]]),
    });
  const readerOf = (url: string, headers: Record<string, string> = {}) => ({ url, method: 'GET', headers }) as unknown as IncomingMessage;
  /** What `serve` wrote: status, headers and body. */
  const sent = (cache: ReplayCache, url: string, encoding: 'br' | 'gzip' | null) => {
    const out: { status?: number; headers?: OutgoingHttpHeaders; body?: Buffer } = {};
    const res = {
      writeHead: (status: number, headers: OutgoingHttpHeaders) => ((out.status = status), (out.headers = headers), res),
      end: (body?: Buffer) => ((out.body = body), res),
    } as unknown as ServerResponse;
    return cache.serve(readerOf(url), res, encoding) ? out : null;
  };

  it('answers after a restart from the file its predecessor wrote, judged by the same rule', async () => {
    const dir = newDir();
    const before = new ReplayCache(1 << 20, () => true, { dir, maxBytes: 1 << 20 });
    keep(before, '/posts/kept', page(1));
    keep(before, '/posts/changed', page(2));
    const first = sent(before, '/posts/kept', 'br')!;
    await before.settled();

    // The next process: nothing in memory. `/posts/changed` changed while no process ran.
    const after = new ReplayCache(1 << 20, (judged) => judged.post !== 'changed-meanwhile', { dir, maxBytes: 1 << 20 });
    expect(after.size).toBe(0);
    expect(sent(after, '/posts/kept', 'br')).toBeNull();
    expect(await after.restore(readerOf('/posts/kept'))).toBe(true);
    const again = sent(after, '/posts/kept', 'br')!;
    expect(again.status).toBe(200);
    expect(again.body!.equals(first.body!)).toBe(true);
    expect(again.headers).toEqual(first.headers);
    // Another encoding is made from the kept one, as before a restart.
    expect(gunzipSync(sent(after, '/posts/kept', 'gzip')!.body!).equals(page(1))).toBe(true);
    // Not a page read (a navigation's flight request), or nothing kept: no file is read.
    expect(after.restore(readerOf('/posts/changed', { rsc: '1' }))).toBe(false);
    expect(after.restore(readerOf('/posts/never-kept'))).toBe(false);
  });

  it('removes the file of a response that is no longer servable, so no later process sends it', async () => {
    const dir = newDir();
    const before = new ReplayCache(1 << 20, () => true, { dir, maxBytes: 1 << 20 });
    keep(before, '/posts/old', page(3), 1_000);
    await before.settled();
    expect(readdirSync(dir)).toHaveLength(1);
    const after = new ReplayCache(1 << 20, (judged) => judged.lastModified > 5_000, { dir, maxBytes: 1 << 20 });
    expect(await after.restore(readerOf('/posts/old'))).toBe(true);
    expect(sent(after, '/posts/old', 'br')).toBeNull();
    await after.settled();
    expect(readdirSync(dir)).toEqual([]);
    expect(after.restore(readerOf('/posts/old'))).toBe(false);
  });

  it('brings back from disk what its memory budget let go', async () => {
    const dir = newDir();
    const small = new ReplayCache(8_000, () => true, { dir, maxBytes: 1 << 20 });
    for (let i = 0; i < 10; i += 1) keep(small, `/p${i}`, page(i));
    expect(small.size).toBeLessThan(10);
    await small.settled();
    for (let i = 0; i < 10; i += 1) {
      const restoring = small.restore(readerOf(`/p${i}`));
      if (restoring) expect(await restoring).toBe(true);
      expect(brotliDecompressSync(sent(small, `/p${i}`, 'br')!.body!).equals(page(i))).toBe(true);
    }
  });

  it('keeps its files within the disk budget, and removes half-written ones a crash left', async () => {
    const dir = newDir();
    writeFileSync(join(dir, '.partial-0123-1-x'), 'half a response');
    const files = new ReplayCache(1 << 20, () => true, { dir, maxBytes: 3_000 });
    expect(readdirSync(dir)).toEqual([]);
    // Pages that compress poorly: each file weighs over 1 KB, so only the newest two fit.
    for (let i = 0; i < 10; i += 1) keep(files, `/p${i}`, Buffer.from(randomBytes(900).toString('base64')));
    await files.settled();
    const kept = readdirSync(dir);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(4);
    const restart = new ReplayCache(1 << 20, () => true, { dir, maxBytes: 3_000 });
    expect(await restart.restore(readerOf('/p9'))).toBe(true);
    expect(restart.restore(readerOf('/p0'))).toBe(false);
  });

  it('writes no file for a response larger than its whole disk budget (kept in memory only)', async () => {
    const dir = newDir();
    const tiny = new ReplayCache(1 << 20, () => true, { dir, maxBytes: 500 });
    keep(tiny, '/big', Buffer.from(randomBytes(2_000).toString('base64')));
    await tiny.settled();
    expect(readdirSync(dir)).toEqual([]);
    expect(sent(tiny, '/big', 'br')?.status).toBe(200);
  });

  it('shared through a tier every instance reads (Redis): another instance sends what one kept, and keeps its file', async () => {
    const shared = new Map<string, Buffer>();
    const remote = { get: async (key: string) => shared.get(key) ?? null, set: (key: string, bytes: Buffer) => void shared.set(key, bytes) };
    const one = new ReplayCache(1 << 20, () => true, { dir: newDir(), maxBytes: 1 << 20 });
    one.setRemote(remote);
    keep(one, '/posts/shared', page(7), Date.now(), true);
    // A search's results, kept per request, stay on this instance: any query would be a new key.
    keep(one, '/search?q=anything', page(8));
    const sentByOne = sent(one, '/posts/shared', 'br')!;
    expect([...shared.keys()]).toEqual(['replay:/posts/shared']);

    const otherDir = newDir();
    const other = new ReplayCache(1 << 20, () => true, { dir: otherDir, maxBytes: 1 << 20 });
    other.setRemote(remote);
    expect(await other.restore(readerOf('/posts/shared'))).toBe(true);
    const sentByOther = sent(other, '/posts/shared', 'br')!;
    expect(sentByOther.body!.equals(sentByOne.body!)).toBe(true);
    expect(sentByOther.headers).toEqual(sentByOne.headers);
    await other.settled();
    expect(readdirSync(otherDir)).toHaveLength(1);
    // Nothing kept anywhere for another address; and what another instance may not serve, it does not.
    expect(await other.restore(readerOf('/posts/elsewhere'))).toBe(false);
    const judging = new ReplayCache(1 << 20, () => false);
    judging.setRemote(remote);
    expect(await judging.restore(readerOf('/posts/shared'))).toBe(true);
    expect(sent(judging, '/posts/shared', 'br')).toBeNull();
    // Bytes under the right key that are not a kept response of that address are not sent.
    shared.set('replay:/posts/forged', shared.get('replay:/posts/shared')!);
    shared.set('replay:/posts/garbage', Buffer.from('not a response'));
    expect(await judging.restore(readerOf('/posts/forged'))).toBe(false);
    expect(await judging.restore(readerOf('/posts/garbage'))).toBe(false);
  });

  it('through the responder: a restarted server answers a page read before without asking Next.js', async () => {
    const dir = newDir();
    const serveWith = async (kept: ReplayCache) => {
      const respond = createResponder(fakeNext, { https: false, databaseDown: () => false, replay: kept, log: () => {} });
      const plain = createServer((req, res) => void respond(req, res));
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
      return { origin: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => plain.close(() => resolve())) };
    };
    const fetchPage = (origin: string) => fetch(`${origin}/posts/restarted`, { headers: { 'accept-encoding': 'br' } });
    const before = new ReplayCache(1 << 20, (judged, now) => cache.isServable(judged, now), { dir, maxBytes: 1 << 20 });
    const one = await serveWith(before);
    const first = await (await fetchPage(one.origin)).text();
    await one.close();
    await before.settled();
    expect(asked['/posts/restarted']).toBe(1);

    const after = new ReplayCache(1 << 20, (judged, now) => cache.isServable(judged, now), { dir, maxBytes: 1 << 20 });
    const two = await serveWith(after);
    try {
      const answer = await fetchPage(two.origin);
      expect(answer.headers.get('x-nextjs-cache')).toBe('HIT');
      expect(await answer.text()).toBe(first);
      expect(asked['/posts/restarted']).toBe(1);
      // The post changes: the kept answer goes, and Next.js renders it again.
      await change({ posts: ['restarted'] });
      expect(await (await fetchPage(two.origin)).text()).toContain('/posts/restarted v2');
      expect(asked['/posts/restarted']).toBe(2);
    } finally {
      await two.close();
    }
  });
});

describe('compressed bytes that are kept', () => {
  it("own their memory: a 3 KB page compressed does not hold zlib's 16 KB work buffer", () => {
    const body = Buffer.from('<p>A list page, mostly the same markup again.</p>'.repeat(60));
    for (const encoding of ['br', 'gzip'] as const) {
      const kept = compress(body, encoding, false);
      expect(kept.length).toBeLessThan(1_000);
      expect(kept.buffer.byteLength).toBe(kept.length);
      const back = encoding === 'br' ? brotliDecompressSync(kept) : gunzipSync(kept);
      expect(back.equals(body)).toBe(true);
    }
  });
});
