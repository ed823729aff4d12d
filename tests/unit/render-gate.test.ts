import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PageCache, type CacheValue } from '@/lib/cache/page-cache';
import { createMetrics } from '@/lib/observe/metrics';
import { Collapser } from '@/lib/server/collapse';
import { RenderGate } from '@/lib/server/render-gate';
import { ReplayCache } from '@/lib/server/replay';
import { createResponder } from '@/lib/server/respond';

/**
 * Renders take turns: at most `limit` renders of reader pages at once, the rest wait in order of
 * arrival; answers the replay cache or the page cache holds, assets and the signed-in sections never
 * wait. Next.js is stood in for by a handler that asks a real PageCache, as Next.js asks its cache
 * handler, and takes 40 ms per render.
 */

describe('RenderGate', () => {
  it('lets `limit` in at once and the others in order of arrival, each slot handed on once', async () => {
    const gate = new RenderGate(2);
    const order: number[] = [];
    const leaves: Array<() => void> = [];
    const entries = [1, 2, 3, 4, 5].map((n) =>
      gate.enter().then((leave) => {
        order.push(n);
        leaves.push(leave);
      }),
    );
    await vi.waitFor(() => expect(order).toEqual([1, 2]));
    expect([gate.active, gate.waiting]).toEqual([2, 3]);
    // Leaving twice lets in one, not two.
    leaves[0]();
    leaves[0]();
    await vi.waitFor(() => expect(order).toEqual([1, 2, 3]));
    expect([gate.active, gate.waiting]).toEqual([2, 2]);
    leaves[1]();
    leaves[2]();
    await Promise.all(entries);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    leaves[3]();
    leaves[4]();
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
    // Free again: the next enters at once.
    (await gate.enter())();
    expect(gate.active).toBe(0);
  });

  it('lets an urgent request in before every waiting one that is not, the urgent in order of arrival', async () => {
    const gate = new RenderGate(1);
    const order: string[] = [];
    const first = await gate.enter();
    const entries = (
      [
        ['a', false],
        ['b', false],
        ['warm-1', true],
        ['c', false],
        ['warm-2', true],
      ] as const
    ).map(([name, urgent]) =>
      gate.enter(urgent).then((leave) => {
        order.push(name);
        leave();
      }),
    );
    expect(gate.waiting).toBe(5);
    first();
    await Promise.all(entries);
    expect(order).toEqual(['warm-1', 'warm-2', 'a', 'b', 'c']);
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
  });

  it('refuses a limit below 1', () => {
    expect(() => new RenderGate(0)).toThrow(/at least 1/);
    expect(() => new RenderGate(1.5)).toThrow(/at least 1/);
  });

  it('shows its requests on /metrics', async () => {
    const gate = new RenderGate(1);
    const metrics = createMetrics({ renderGate: gate });
    const leave = await gate.enter();
    const waiting = gate.enter();
    const text = await metrics.registry.metrics();
    expect(text).toContain('broadsheet_render_gate_requests{state="active"} 1');
    expect(text).toContain('broadsheet_render_gate_requests{state="waiting"} 1');
    leave();
    (await waiting)();
  });
});

const RENDER_MS = 40;
const LIMIT = 2;
let cache: PageCache;
let rendering = 0;
let mostRendering = 0;
/** Renders, by path, in the order they began. */
const reached: string[] = [];
/** Requests Next.js was asked for, by path. */
const asked: string[] = [];

async function fakeNext(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  asked.push(path);
  // The editor and search are rendered on every read, without asking the cache.
  const everyRead = path.startsWith('/editor') || path.startsWith('/search');
  let entry = everyRead ? null : await cache.get(path);
  if (!entry) {
    reached.push(path);
    mostRendering = Math.max(mostRendering, ++rendering);
    try {
      await new Promise((resolve) => setTimeout(resolve, RENDER_MS));
    } finally {
      rendering -= 1;
    }
    const value: CacheValue = { kind: 'APP_PAGE', html: `<!doctype html><html><body><h1>${path}</h1><p>${'Words. '.repeat(300)}</p></body></html>`, headers: {} };
    entry = everyRead ? null : cache.set(path, value, { revalidate: 3600 });
    if (!entry) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store' });
      res.end(value.html as string);
      return;
    }
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'x-nextjs-cache': 'MISS' });
  res.end(entry.value!.html as string);
}

let server: Server;
let base: string;
let gate: RenderGate;
/** Paths a change has made stale (what the warmer would have pending). */
const stale = new Set<string>();

beforeAll(async () => {
  cache = new PageCache({ memoryBytes: 8 << 20, diskBytes: 0, diskDir: null }, Date.now() - 1000);
  gate = new RenderGate(LIMIT);
  const replay = new ReplayCache(4 << 20, (entry, now) => cache.isServable(entry, now));
  const respond = createResponder(fakeNext, {
    https: false,
    databaseDown: () => false,
    replay,
    collapse: new Collapser(),
    gate,
    urgent: (path) => stale.has(path),
    log: () => {},
  });
  server = createServer((req, res) => void respond(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request(`${base}${path}`, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    })
      .on('error', reject)
      .end();
  });
}

describe('renders take turns behind the responder', () => {
  it('lets only LIMIT first reads of different pages render at once, and answers every one', async () => {
    mostRendering = 0;
    const paths = Array.from({ length: 10 }, (_, i) => `/posts/article-${i}`);
    const answers = await Promise.all(paths.map(get));
    for (const [i, answer] of answers.entries()) {
      expect(answer.status).toBe(200);
      expect(answer.text).toContain(`<h1>${paths[i]}</h1>`);
    }
    expect(mostRendering).toBe(LIMIT);
    // In order of arrival: the first two rendered first.
    expect(new Set(reached.slice(0, LIMIT))).toEqual(new Set(paths.slice(0, LIMIT)));
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
  });

  it('answers a kept page at once while every turn is taken', async () => {
    const busy = Promise.all(Array.from({ length: 6 }, (_, i) => get(`/tags/busy-${i}`)));
    await vi.waitFor(() => expect(gate.waiting).toBeGreaterThan(0), { interval: 1 });
    const before = asked.length;
    const kept = await get('/posts/article-0');
    expect(kept.status).toBe(200);
    // Answered from the replay cache while the readers of other pages still wait for their turns.
    expect(gate.waiting).toBeGreaterThan(0);
    expect(asked.slice(before)).not.toContain('/posts/article-0');
    await busy;
  });

  it('answers a page the page cache holds (and the replay cache does not) while every turn is taken', async () => {
    // Rendered before this server's replay cache saw it: kept on disk before a restart, say.
    cache.set('/posts/on-disk', { kind: 'APP_PAGE', html: '<!doctype html><html><body><h1>On disk</h1></body></html>', headers: {} }, { revalidate: 3600 });
    const busy = Promise.all(Array.from({ length: 6 }, (_, i) => get(`/tags/busier-${i}`)));
    await vi.waitFor(() => expect(gate.waiting).toBeGreaterThan(0), { interval: 1 });
    const before = [asked.length, reached.length];
    const kept = await get('/posts/on-disk');
    expect(kept.text).toContain('<h1>On disk</h1>');
    // Through Next.js, which found it in the page cache: no turn, no render, and the others still wait.
    expect(asked.slice(before[0])).toContain('/posts/on-disk');
    expect(reached.slice(before[1])).not.toContain('/posts/on-disk');
    expect(gate.waiting).toBeGreaterThan(0);
    await busy;
  });

  it('gives the turn back unused to a reader whose page was rendered while it waited', async () => {
    const busy = Promise.all(Array.from({ length: LIMIT }, (_, i) => get(`/tags/first-${i}`)));
    await vi.waitFor(() => expect(gate.active).toBe(LIMIT), { interval: 1 });
    const waiting = get('/posts/rendered-meanwhile');
    await vi.waitFor(() => expect(gate.waiting).toBe(1), { interval: 1 });
    // Another process's render (the warm after a change) stores it meanwhile.
    cache.set(
      '/posts/rendered-meanwhile',
      { kind: 'APP_PAGE', html: '<!doctype html><html><body><h1>Meanwhile</h1></body></html>', headers: {} },
      { revalidate: 3600 },
    );
    expect((await waiting).text).toContain('<h1>Meanwhile</h1>');
    await busy;
    expect(reached).not.toContain('/posts/rendered-meanwhile');
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
  });

  it('makes a page rendered on every read (search) take its turn before Next.js', async () => {
    const busy = Promise.all(Array.from({ length: LIMIT + 2 }, (_, i) => get(`/tags/searching-${i}`)));
    await vi.waitFor(() => expect(gate.waiting).toBe(2), { interval: 1 });
    const before = asked.length;
    const search = get('/search?q=words');
    await vi.waitFor(() => expect(gate.waiting).toBe(3), { interval: 1 });
    expect(asked.slice(before)).not.toContain('/search');
    await Promise.all([busy, search]);
    expect(mostRendering).toBeLessThanOrEqual(LIMIT + 1); // the editor's one, from earlier, at most
  });

  it('does not make the signed-in sections wait for readers', async () => {
    mostRendering = 0;
    const readers = Promise.all(Array.from({ length: 6 }, (_, i) => get(`/authors/someone-${i}`)));
    await vi.waitFor(() => expect(gate.waiting).toBeGreaterThan(0), { interval: 1 });
    const editor = await get('/editor/posts');
    expect(editor.status).toBe(200);
    expect(gate.waiting).toBeGreaterThan(0);
    expect(mostRendering).toBe(LIMIT + 1);
    await readers;
  });

  it('renders a page a change made stale before the first reads already waiting', async () => {
    const before = reached.length;
    const busy = Promise.all(Array.from({ length: LIMIT + 4 }, (_, i) => get(`/posts/queued-${i}`)));
    await vi.waitFor(() => expect(gate.waiting).toBe(4), { interval: 1 });
    stale.add('/');
    try {
      const home = get('/');
      await vi.waitFor(() => expect(gate.waiting).toBe(5), { interval: 1 });
      await Promise.all([busy, home]);
    } finally {
      stale.delete('/');
    }
    const order = reached.slice(before);
    // The two first reads that had a turn, then the stale home page, then the four that waited.
    expect(order.indexOf('/')).toBe(LIMIT);
    expect(order.filter((path) => path.startsWith('/posts/queued-'))).toHaveLength(LIMIT + 4);
  });

  it('renders once for a reader who left while waiting, keeps the page, and the turn passes on', async () => {
    const busy = Promise.all(Array.from({ length: LIMIT }, (_, i) => get(`/page/${i + 10}`)));
    await vi.waitFor(() => expect(gate.active).toBe(LIMIT), { interval: 1 });
    const gone = request(`${base}/posts/never-read`, { agent: false });
    gone.on('error', () => {});
    gone.end();
    await vi.waitFor(() => expect(gate.waiting).toBe(1), { interval: 1 });
    gone.destroy();
    await busy;
    expect((await get('/posts/after-the-one-who-left')).status).toBe(200);
    // Its turn came after it left: Next.js cannot be stopped mid-request, so the page is rendered
    // once, and kept for its next reader, who renders nothing.
    await vi.waitFor(() => expect(reached.filter((path) => path === '/posts/never-read')).toHaveLength(1));
    const next = reached.length;
    expect((await get('/posts/never-read')).text).toContain('<h1>/posts/never-read</h1>');
    expect(reached.slice(next)).toEqual([]);
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
  });
});
