import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, createBrotliDecompress, createGunzip, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classicRedirectStatus, createResponder, UNAVAILABLE_PAGE } from '@/lib/server/respond';

const BOOT = '(self.__next_f=self.__next_f||[]).push([0])';
const PAGE = `<!doctype html><html><body><p>${'Hello reader. '.repeat(200)}</p><script>${BOOT}</script><script>alert(1)</script></body></html>`;
const SHELL = '<!DOCTYPE html><html id="__next_error__"><head></head><body></body></html>';
const NOT_FOUND = '<!doctype html><html><body><h1>Page not found</h1></body></html>';
const MARKER = '<meta name="broadsheet-scripts" content="none"/>';
const LD = '<script type="application/ld+json">{"@type":"BlogPosting","headline":"Ça va — été"}</script>';
const FLIGHT = '<script>self.__next_f.push([1,"0:[\\"$\\",\\"p\\",null,{}]\\n"])</script>';
/** A reader page as Next.js renders it (marked by the reader layout), with text outside ASCII. */
const READER = `<!doctype html><html><head>${MARKER}</head><body><article>${LD}<p>${'Ünïcödé words for readers — '.repeat(80)}</p></article><script>${BOOT}</script>${FLIGHT}</body></html>`;
const READER_PLAIN = `<!doctype html><html><head></head><body><article>${LD}<p>${'Ünïcödé words for readers — '.repeat(80)}</p></article></body></html>`;

let databaseDown = false;
/** The editor page below writes its frame, then waits for this before the rest. */
let releaseEditor: () => void = () => {};
const EDITOR_FRAME = `<!doctype html><html><body><nav>${'Posts Pages Media '.repeat(40)}</nav>`;
const EDITOR_REST = `<main>${'A post in the editor. '.repeat(200)}</main><script nonce="NONCE">${BOOT}</script></body></html>`;
let calls = 0;
const seenNonces: string[] = [];
const logged: string[] = [];

/** Stands in for Next.js: each path answers the way some kind of page does. */
async function fake(req: IncomingMessage, res: ServerResponse): Promise<void> {
  calls += 1;
  expect(req.headers['accept-encoding']).toBeUndefined(); // Next.js must never compress
  seenNonces.push(/^script-src 'nonce-([\w-]+)'$/.exec(String(req.headers['content-security-policy']))?.[1] ?? 'none');
  switch (req.url) {
    case '/cached':
      res.setHeader('Vary', 'rsc');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ETag: '"abc"', 'x-nextjs-cache': 'HIT', 'Cache-Control': 's-maxage=31536000' });
      res.end(PAGE);
      return;
    case '/article':
      // A page from the page cache as Next.js sends it without ETags of its own (generateEtags: false).
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'x-nextjs-cache': 'HIT' });
      res.end(READER);
      return;
    case '/article-in-parts':
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'x-nextjs-cache': 'HIT' });
      res.write(Buffer.from(READER).subarray(0, 168)); // cuts the "Ç" in two
      res.end(Buffer.from(READER).subarray(168));
      return;
    case '/old-slug':
      res.writeHead(308, { 'Content-Type': 'text/html; charset=utf-8', Location: '/posts/new', 'x-nextjs-cache': 'HIT' });
      res.end(SHELL);
      return;
    case '/streamed':
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.write('<!doctype html><html><body>');
      await new Promise((resolve) => setTimeout(resolve, 5));
      res.write(Buffer.from('<p>streamed</p>'));
      res.end('</body></html>');
      return;
    case '/editor/posts/1': {
      // A page for one signed-in person, as React streams it: its frame first, a boundary later.
      const nonce = seenNonces.at(-1)!;
      const rest = new Promise<void>((resolve) => (releaseEditor = resolve));
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Vary', 'rsc');
      res.write(EDITOR_FRAME);
      await rest;
      res.end(EDITOR_REST.replace('NONCE', nonce));
      return;
    }
    case '/editor/missing':
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.write('<!doctype html><html><body>');
      res.end(`<p>Not found</p><script>alert(1)</script></body></html>`);
      return;
    case '/error':
      res.statusCode = 500;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end('<html><body>Error: connect ECONNREFUSED 127.0.0.1:5432 at stack trace</body></html>');
      return;
    case '/missing':
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'x-nextjs-cache': 'HIT' });
      res.end(SHELL);
      return;
    case '/renamed':
      res.setHeader('Location', ['/posts/new', '/posts/new']);
      res.writeHead(308, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(SHELL);
      return;
    case '/moved-for-now':
      res.setHeader('Location', '/somewhere/else');
      res.writeHead(307, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(SHELL);
      return;
    case '/action':
      res.setHeader('Set-Cookie', 'session=abc; Path=/');
      res.writeHead(200, { 'Content-Type': 'text/x-component' });
      res.end('0:{"a":"$@1"}\n1:{"ok":false,"status":403,"error":"You are not allowed to do that. \\"ok\\":false,\\"status\\":500"}\n');
      return;
    case '/image-error':
      res.statusCode = 500;
      res.end();
      return;
    case '/image':
      res.writeHead(200, { 'Content-Type': 'image/webp', 'Content-Length': '4' });
      res.end(Buffer.from([1, 2, 3, 4]));
      return;
    default:
      res.statusCode = 404;
      res.end();
  }
}

let server: Server;
let base: string;
beforeAll(async () => {
  const respond = createResponder(fake, {
    https: true,
    databaseDown: () => databaseDown,
    notFoundPage: async () => Buffer.from(NOT_FOUND),
    log: (message) => logged.push(message),
  });
  server = createServer((req, res) => void respond(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw GET: the bytes as sent (fetch would decompress them). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ response: { status: number; headers: { get(name: string): string | null } }; bytes: Buffer }>((resolve, reject) => {
    request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const map = new Map(Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
        resolve({ response: { status: res.statusCode ?? 0, headers: { get: (name: string) => map.get(name) ?? null } }, bytes: Buffer.concat(chunks) });
      });
    })
      .on('error', reject)
      .end();
  });
}

/**
 * A GET read as it arrives: its headers, and `next(until)`, which resolves with the text decoded so
 * far once `until` holds for it (the body decompressed as a browser would, chunk by chunk).
 */
function streamedGet(path: string, encoding: 'br' | 'gzip' | null) {
  return new Promise<{ headers: Record<string, string | string[] | undefined>; next: (until: (sofar: string) => boolean) => Promise<string> }>((resolve, reject) => {
    request(`${base}${path}`, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
      const decoded = encoding === 'br' ? res.pipe(createBrotliDecompress()) : encoding === 'gzip' ? res.pipe(createGunzip()) : res;
      let sofar = '';
      const waiting: Array<() => void> = [];
      decoded.on('data', (chunk: Buffer) => {
        sofar += chunk.toString();
        for (const check of waiting.splice(0)) check();
      });
      const next = (until: (sofar: string) => boolean) =>
        new Promise<string>((done) => {
          const check = () => (until(sofar) ? done(sofar) : waiting.push(check));
          check();
        });
      resolve({ headers: res.headers, next });
    })
      .on('error', reject)
      .end();
  });
}

describe('the server layer around Next.js', () => {
  it("gives every page a CSP hashing its framework scripts, never the page's other inline scripts", async () => {
    const { response, bytes } = await get('/cached');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self' 'nonce-[\w-]{24}' 'sha256-[\w+/=]+';/);
    expect(policy).toContain("frame-ancestors 'self'");
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(bytes.toString()).toBe(PAGE);
    expect(logged.some((line) => line.includes('/cached') && line.includes('alert(1)'))).toBe(true);
  });

  it('hands Next.js a fresh nonce for every response, and allows it in the policy', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      const { response } = await get('/streamed');
      const nonce = /'nonce-([\w-]+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
      expect(nonce).toBeDefined();
      expect(seenNonces.at(-1)).toBe(nonce);
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(3);
  });

  it('lets a CDN keep a cached page for one second, not a year', async () => {
    const { response } = await get('/cached');
    expect(response.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=1, must-revalidate');
    expect(response.headers.get('vary')).toBe('rsc, Accept-Encoding');
  });

  it('compresses text with brotli or gzip, and a cached page only once', async () => {
    const br = await get('/cached', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.response.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(br.bytes).toString()).toBe(PAGE);
    expect(Number(br.response.headers.get('content-length'))).toBe(br.bytes.length);
    expect(br.bytes.length).toBeLessThan(PAGE.length / 5);
    const gzip = await get('/cached', { 'accept-encoding': 'gzip' });
    expect(gzip.response.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gzip.bytes).toString()).toBe(PAGE);
    const again = await get('/cached', { 'accept-encoding': 'br' });
    expect(again.bytes.equals(br.bytes)).toBe(true);
    const none = await get('/cached', { 'accept-encoding': 'br;q=0, identity' });
    expect(none.response.headers.get('content-encoding')).toBeNull();
  });

  it('sends a reader page without its scripts, from the text or the bytes Next.js wrote, with no hashes', async () => {
    for (const path of ['/article', '/article-in-parts']) {
      const { response, bytes } = await get(path, { 'accept-encoding': 'br' });
      expect(brotliDecompressSync(bytes).toString()).toBe(READER_PLAIN);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toMatch(/script-src 'self' 'nonce-[\w-]{24}';/);
      expect(policy).not.toContain('sha256');
    }
    expect(logged.some((line) => line.includes('/article'))).toBe(false);
  });

  it('gives answers from the page cache an ETag of the bytes sent, and 304 when the reader has them', async () => {
    const first = await get('/article', { 'accept-encoding': 'gzip' });
    const etag = first.response.headers.get('etag')!;
    const { createHash } = await import('node:crypto');
    expect(etag).toBe(`"${createHash('sha1').update(READER_PLAIN).digest('base64url').slice(0, 22)}"`);
    expect((await get('/article-in-parts')).response.headers.get('etag')).toBe(etag);
    const before = calls;
    const unchanged = await get('/article', { 'if-none-match': etag, 'accept-encoding': 'gzip' });
    expect(unchanged.response.status).toBe(304);
    expect(unchanged.bytes.length).toBe(0);
    expect(unchanged.response.headers.get('etag')).toBe(etag);
    expect(unchanged.response.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=1, must-revalidate');
    expect(unchanged.response.headers.get('vary')).toBe('Accept-Encoding');
    expect(calls).toBe(before + 1);
    expect((await get('/article', { 'if-none-match': '"something-else"' })).response.status).toBe(200);
    // A cached redirect has one too (its answer is kept like a page's); the swapped-in 404 page has none.
    expect((await get('/old-slug')).response.headers.get('etag')).toMatch(/^"[\w-]{22}"$/);
    expect((await get('/missing')).response.headers.get('etag')).toBeNull();
    // A page Next.js gave an ETag of its own keeps it; what was not cached gets none.
    expect((await get('/cached')).response.headers.get('etag')).toBe('"abc"');
    expect((await get('/streamed')).response.headers.get('etag')).toBeNull();
  });

  it('collects a streamed page whole before it answers', async () => {
    const { response, bytes } = await get('/streamed');
    expect(bytes.toString()).toBe('<!doctype html><html><body><p>streamed</p></body></html>');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it("streams the editor's pages: the frame reaches the browser, compressed, before the page is done", async () => {
    for (const encoding of ['br', 'gzip', null] as const) {
      const { headers, next } = await streamedGet('/editor/posts/1', encoding);
      expect(headers['content-encoding']).toBe(encoding ?? undefined);
      expect(headers['content-length']).toBeUndefined();
      expect(headers.etag).toBeUndefined();
      expect(headers.vary).toBe('rsc, Accept-Encoding');
      // A policy of this response's nonce alone: nothing streamed is served again.
      const nonce = seenNonces.at(-1)!;
      expect(headers['content-security-policy']).toContain(`script-src 'self' 'nonce-${nonce}';`);
      expect(headers['content-security-policy']).not.toContain('sha256');
      expect(headers['strict-transport-security']).toContain('max-age=');
      // The frame arrives while Next.js is still rendering the rest.
      await next((sofar) => sofar === EDITOR_FRAME);
      releaseEditor();
      expect(await next((sofar) => sofar.endsWith('</html>'))).toBe(EDITOR_FRAME + EDITOR_REST.replace('NONCE', nonce));
    }
  });

  it('collects an editor page that is not a 200, so a later step may still change it', async () => {
    const { response, bytes } = await get('/editor/missing');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-length')).toBe(String(bytes.length));
    expect(response.headers.get('content-security-policy')).not.toContain('sha256'); // no script of a known shape to hash
    expect(logged.some((line) => line.includes('/editor/missing') && line.includes('refused'))).toBe(true);
  });

  it('answers a plain 503 with Retry-After, never the error, while the database is down', async () => {
    databaseDown = true;
    try {
      const { response, bytes } = await get('/error');
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(bytes.toString()).toBe(UNAVAILABLE_PAGE);
      expect(bytes.toString()).not.toContain('ECONNREFUSED');
    } finally {
      databaseDown = false;
    }
    expect((await get('/error')).response.status).toBe(500);
  });

  it('turns any failure while the database is down into the 503, an image included, with a policy', async () => {
    databaseDown = true;
    try {
      const { response, bytes } = await get('/image-error');
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self' 'nonce-");
      expect(bytes.toString()).toBe(UNAVAILABLE_PAGE);
    } finally {
      databaseDown = false;
    }
    expect((await get('/image-error')).response.status).toBe(500);
  });

  it("replaces Next.js's empty 404 shell with the server-rendered not-found page", async () => {
    const { response, bytes } = await get('/missing');
    expect(response.status).toBe(404);
    expect(bytes.toString()).toBe(NOT_FOUND);
  });

  it('answers a renamed page with one 301 Location', async () => {
    const { response } = await get('/renamed');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/posts/new');
  });

  it("answers an admin's temporary redirect with one 302 Location", async () => {
    const { response } = await get('/moved-for-now');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/somewhere/else');
  });

  it('turns 308 and 307 into 301 and 302 for reads only: a POST must be repeated as a POST', () => {
    expect(classicRedirectStatus(308, 'GET')).toBe(301);
    expect(classicRedirectStatus(307, 'GET')).toBe(302);
    expect(classicRedirectStatus(307, 'HEAD')).toBe(302);
    expect(classicRedirectStatus(308, 'POST')).toBe(308);
    expect(classicRedirectStatus(307, 'POST')).toBe(307);
    expect(classicRedirectStatus(303, 'GET')).toBe(303);
    expect(classicRedirectStatus(200, 'GET')).toBe(200);
  });

  it('gives a refused server action its status, from its result, and keeps the message', async () => {
    const refused = await get('/action', { 'next-action': 'abc123' });
    expect(refused.response.status).toBe(403);
    expect(refused.bytes.toString()).toContain('You are not allowed to do that.');
    expect(refused.response.headers.get('set-cookie')).toBe('session=abc; Path=/');
    // Only an action's answer is re-statused.
    expect((await get('/action')).response.status).toBe(200);
  });

  it('passes binary responses through untouched', async () => {
    const before = calls;
    const { response, bytes } = await get('/image', { 'accept-encoding': 'br' });
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect([...bytes]).toEqual([1, 2, 3, 4]);
    expect(calls).toBe(before + 1);
  });
});
