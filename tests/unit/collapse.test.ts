import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PageCache, type CacheValue } from '@/lib/cache/page-cache';
import { Collapser, isSharedRead, rendersEveryRead } from '@/lib/server/collapse';
import { cacheOutcomeOf, type CacheOutcome } from '@/lib/observe/outcome';
import { ReplayCache } from '@/lib/server/replay';
import { createResponder } from '@/lib/server/respond';

/**
 * One render per page, however many readers: concurrent plain reads of a stale or missing page wait
 * for the first one's render and are answered from it. Next.js is stood in for by a handler that
 * uses a real PageCache the way lib/cache/handler.mjs does and takes 60 ms to render.
 */

const RENDER_MS = 60;
let cache: PageCache;
let collapser: Collapser;
/** Renders by path, and how often "Next.js" was asked at all. */
const renders: Record<string, number> = {};
const asked: Record<string, number> = {};
/** Renders of the per-reader page under way at once, and the most there were. */
let perReaderNow = 0;
let perReaderMost = 0;

function valueFor(path: string): CacheValue {
  renders[path] = (renders[path] ?? 0) + 1;
  const html = `<!doctype html><html><body><h1>${path} v${renders[path]}</h1><p>${'Words for readers. '.repeat(300)}</p></body></html>`;
  return { kind: 'APP_PAGE', html, headers: { 'x-next-cache-tags': '_N_T_/layout,_N_T_/(site)/page,_N_T_/' } };
}

async function fakeNext(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  asked[path] = (asked[path] ?? 0) + 1;
  if (path === '/per-reader') {
    // A page made for one reader: it sets a cookie, so it is never kept, never shared.
    renders[path] = (renders[path] ?? 0) + 1;
    perReaderMost = Math.max(perReaderMost, ++perReaderNow);
    await new Promise((resolve) => setTimeout(resolve, RENDER_MS));
    perReaderNow -= 1;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Set-Cookie': 'seen=1; Path=/' });
    res.end(`<!doctype html><html><body>${'for you '.repeat(200)}</body></html>`);
    return;
  }
  let entry = await cache.get(path);
  const state = entry ? 'HIT' : 'MISS';
  if (!entry) {
    await new Promise((resolve) => setTimeout(resolve, RENDER_MS));
    entry = cache.set(path, valueFor(path), { revalidate: 3600 });
  }
  const etag = `"${entry.lastModified}"`;
  if (req.headers['if-none-match'] === '*' || req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ETag: etag, 'x-nextjs-cache': state });
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ETag: etag, 'x-nextjs-cache': state });
  res.end(entry.value!.html as string);
}

let server: Server;
let base: string;
/** Each response's address and how it was answered, as its log line says (lib/observe/outcome.ts). */
const outcomes: [string, CacheOutcome | undefined][] = [];

beforeAll(async () => {
  cache = new PageCache({ memoryBytes: 8 << 20, diskBytes: 0, diskDir: null }, Date.now() - 1000);
  collapser = new Collapser();
  const replay = new ReplayCache(4 << 20, (entry, now) => cache.isServable(entry, now));
  const respond = createResponder(fakeNext, { https: false, databaseDown: () => false, replay, collapse: collapser, log: () => {} });
  server = createServer((req, res) => {
    res.once('close', () => outcomes.push([req.url ?? '', cacheOutcomeOf(res)]));
    void respond(req, res);
  });
  server.maxConnections = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    request(`${base}${path}`, { headers, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: (res.headers['content-encoding'] === 'br' ? brotliDecompressSync(bytes) : bytes).toString(),
        });
      });
    })
      .on('error', reject)
      .end();
  });
}

const many = (n: number, path: string, headers: Record<string, string> = {}) => Promise.all(Array.from({ length: n }, () => get(path, headers)));

/** The address of every page or route under app/ that Next.js renders on every read (`force-dynamic`). */
function renderedEveryRead(dir = 'app', route = ''): string[] {
  const found: string[] = [];
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) {
      // Route groups add nothing to the address; a parameter is any one segment.
      const segment = /^\(.*\)$/.test(item.name) ? '' : `/${item.name.replace(/^\[\.\.\.\w+\]$/, 'a/b').replace(/^\[\w+\]$/, 'x')}`;
      found.push(...renderedEveryRead(path, route + segment));
    } else if (/^(page|route)\.tsx?$/.test(item.name) && /dynamic = 'force-dynamic'/.test(readFileSync(path, 'utf8'))) {
      found.push(route || '/');
    }
  }
  return found;
}

describe('which shared reads are rendered on every read', () => {
  it('knows every page readers share that Next.js renders without asking the page cache, so its render takes a turn', () => {
    const read = (url: string) => ({ method: 'GET', url, headers: {} }) as IncomingMessage;
    const pages = renderedEveryRead();
    expect(pages).toContain('/search');
    // robots.txt writes two lines of text: no render to take turns for.
    const shared = pages.filter((path) => isSharedRead(read(path)) && path !== '/robots.txt');
    expect(shared.filter((path) => !rendersEveryRead(path))).toEqual([]);
    expect(rendersEveryRead('/posts/x')).toBe(false);
    expect(rendersEveryRead('/searching')).toBe(false);
  });
});

describe('one render per page, however many readers', () => {
  it('answers 100 concurrent readers of a missing page with one render', async () => {
    const answers = await many(100, '/', { 'accept-encoding': 'br' });
    expect(renders['/']).toBe(1);
    expect(asked['/']).toBe(1);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('<h1>/ v1</h1>');
    }
  });

  it('renders a just-invalidated page once for all the readers who ask meanwhile, and shows them the change', async () => {
    await vi.waitFor(() => expect(outcomes.filter(([url]) => url === '/')).toHaveLength(100));
    outcomes.length = 0;
    cache.expire({ lists: true });
    await new Promise((resolve) => setTimeout(resolve, 2));
    const answers = await many(100, '/');
    expect(renders['/']).toBe(2);
    expect(new Set(answers.map((answer) => answer.text.match(/<h1>[^<]*<\/h1>/)?.[0]))).toEqual(new Set(['<h1>/ v2</h1>']));
    // Their log lines tell the one render from those who waited for it (a reader who came after it
    // was kept was simply replayed).
    await vi.waitFor(() => expect(outcomes).toHaveLength(100));
    const count = (outcome: CacheOutcome) => outcomes.filter(([, their]) => their === outcome).length;
    expect(count('miss')).toBe(1);
    expect(count('collapsed')).toBeGreaterThan(0);
    expect(count('collapsed') + count('replay')).toBe(99);
    // The next reader gets the kept answer: no render, and Next.js is not asked.
    const before = asked['/'];
    expect((await get('/')).text).toContain('<h1>/ v2</h1>');
    expect(asked['/']).toBe(before);
  });

  it('does not make readers of a page that is never kept queue behind one another', async () => {
    // The first burst finds out the answer is not shared (each reader after the first asks again)...
    await many(3, '/per-reader');
    const before = renders['/per-reader'];
    // ...after which readers of that address go to the renderer together, none waiting for another.
    perReaderMost = 0;
    await many(5, '/per-reader');
    expect(renders['/per-reader'] - before).toBe(5);
    expect(perReaderMost).toBeGreaterThanOrEqual(4);
  });

  it('never lets a conditional read lead: its bodiless 304 would leave the others nothing to share', async () => {
    const page = '/conditional';
    await get(page);
    for (let round = 0; round < 2; round += 1) {
      cache.expire({ lists: true });
      await new Promise((resolve) => setTimeout(resolve, 2));
      const before = renders[page];
      const first = get(page, { 'if-none-match': '*' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answers = await Promise.all(Array.from({ length: 10 }, () => get(page)));
      expect((await first).status).toBe(304);
      for (const answer of answers) expect(answer.status).toBe(200);
      // The conditional read renders on its own; one of the others leads the rest, in every round.
      expect(renders[page] - before).toBe(2);
    }
  });

  it('never collapses a navigation (flight) request or a signed-in section', () => {
    const req = (url: string, headers: Record<string, string> = {}) => ({ url, method: 'GET', headers }) as unknown as IncomingMessage;
    expect(collapser.collapsible(req('/posts/a'))).toBe(true);
    expect(collapser.collapsible(req('/posts/a', { rsc: '1' }))).toBe(false);
    expect(collapser.collapsible(req('/editor/posts'))).toBe(false);
    expect(collapser.collapsible(req('/_next/static/chunks/a.js'))).toBe(false);
    expect(collapser.collapsible({ ...req('/posts/a'), method: 'POST' } as IncomingMessage)).toBe(false);
  });
});
