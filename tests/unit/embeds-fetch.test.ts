/**
 * Asking an oEmbed provider and fetching its thumbnail (lib/embeds/fetch.ts), against a local
 * provider on 127.0.0.1 that can misbehave: huge, slow, redirecting, non-JSON, a thumbnail that is
 * not an image, and a private address while private addresses are not allowed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBED_PROVIDERS } from '@/lib/embeds/providers';
import { EmbedFetchError, fetchOEmbed, fetchThumbnail, MAX_OEMBED_BYTES, oembedRequestUrl } from '@/lib/embeds/fetch';

let server: Server;
let base = '';
let png: Buffer;
const hits: string[] = [];

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/oembed': (req, res) => {
    const url = new URL(req.url!, base).searchParams.get('url');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ type: 'video', title: `Title of ${url}`, thumbnail_url: `${base}/thumb.png` }));
  },
  '/no-thumbnail': (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"type":"link","title":"  Just   a title "}'),
  '/bad-thumbnail-url': (_req, res) => res.writeHead(200).end('{"title":"T","thumbnail_url":"javascript:alert(1)"}'),
  '/html': (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Not JSON</title>'),
  '/array': (_req, res) => res.writeHead(200).end('[1,2,3]'),
  '/huge': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(`{"title":"${'x'.repeat(MAX_OEMBED_BYTES * 4)}"}`);
  },
  '/huge-declared': (_req, res) => res.writeHead(200, { 'Content-Length': String(50 * 1024 * 1024) }).end('{}'),
  '/slow': () => undefined, // never answers
  '/redirect-once': (_req, res) => res.writeHead(302, { Location: '/oembed?url=x' }).end(),
  '/redirect-loop': (_req, res) => res.writeHead(302, { Location: '/redirect-loop' }).end(),
  '/redirect-file': (_req, res) => res.writeHead(302, { Location: 'file:///etc/passwd' }).end(),
  '/status-500': (_req, res) => res.writeHead(500).end('{"title":"error page"}'),
  '/thumb.png': (_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(png),
  '/thumb-html.png': (_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end('<html><script>alert(1)</script></html>'),
  '/thumb-svg': (_req, res) =>
    res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
};

beforeAll(async () => {
  png = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#c03030' } })
    .png()
    .withMetadata({ exif: { IFD0: { Copyright: 'secret-gps' } } })
    .toBuffer();
  server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    hits.push(path);
    (routes[path] ?? ((_q: IncomingMessage, r: ServerResponse) => r.writeHead(404).end()))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const open = { allowPrivate: true, timeoutMs: 2_000 };
const failure = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbedFetchError);
  return (error as Error).message;
};

describe('fetchOEmbed', () => {
  it('asks the endpoint with url and format=json and keeps the title and the thumbnail address', async () => {
    const youtube = EMBED_PROVIDERS.find((p) => p.id === 'youtube')!;
    expect(oembedRequestUrl(youtube, 'https://youtu.be/abcdefghijk')).toBe('https://www.youtube.com/oembed?url=https%3A%2F%2Fyoutu.be%2Fabcdefghijk&format=json');
    const request = oembedRequestUrl(youtube, 'https://youtu.be/abcdefghijk', `${base}/oembed`);
    expect(await fetchOEmbed(request, open)).toEqual({ title: 'Title of https://youtu.be/abcdefghijk', thumbnailUrl: `${base}/thumb.png` });
    expect(await fetchOEmbed(`${base}/no-thumbnail`, open)).toEqual({ title: 'Just a title', thumbnailUrl: null });
    expect(await fetchOEmbed(`${base}/bad-thumbnail-url`, open)).toEqual({ title: 'T', thumbnailUrl: null });
  });

  it('refuses an answer that is not JSON, not an object, not 200, or too large (declared or streamed)', async () => {
    expect(await failure(fetchOEmbed(`${base}/html`, open))).toBe('the provider did not answer with JSON');
    expect(await failure(fetchOEmbed(`${base}/array`, open))).toBe('the provider’s answer is not oEmbed');
    expect(await failure(fetchOEmbed(`${base}/status-500`, open))).toBe('HTTP 500');
    expect(await failure(fetchOEmbed(`${base}/huge`, open))).toBe(`the answer is larger than ${MAX_OEMBED_BYTES} bytes`);
    expect(await failure(fetchOEmbed(`${base}/huge-declared`, open))).toBe(`the answer is larger than ${MAX_OEMBED_BYTES} bytes`);
  });

  it('gives up on a provider that does not answer in time', async () => {
    const started = Date.now();
    expect(await failure(fetchOEmbed(`${base}/slow`, { allowPrivate: true, timeoutMs: 300 }))).toBe('no answer in time');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('follows up to 3 redirects, each to http(s) only', async () => {
    expect((await fetchOEmbed(`${base}/redirect-once`, open)).title).toBe('Title of x');
    expect(await failure(fetchOEmbed(`${base}/redirect-loop`, open))).toBe('more than 3 redirects');
    expect(await failure(fetchOEmbed(`${base}/redirect-file`, open))).toBe('file: addresses are not fetched');
  });

  it('refuses private addresses (literal or by name) unless EMBED_ALLOW_PRIVATE, before connecting', async () => {
    const before = hits.length;
    const closed = { allowPrivate: false, timeoutMs: 2_000 };
    expect(await failure(fetchOEmbed(`${base}/oembed`, closed))).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/);
    const byName = base.replace('127.0.0.1', 'localhost');
    expect(await failure(fetchOEmbed(`${byName}/oembed`, closed))).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    expect(await failure(fetchOEmbed('http://169.254.169.254/latest/meta-data', closed))).toMatch(/^refused: 169\.254\.169\.254 is a link-local address/);
    expect(hits.length).toBe(before);
  });
});

describe('fetchThumbnail', () => {
  it('cleans the image like an upload: same format, same size, no metadata', async () => {
    const image = await fetchThumbnail(`${base}/thumb.png`, open);
    expect(image).toMatchObject({ kind: 'png', width: 64, height: 36, contentType: 'image/png' });
    expect(image.data.includes(Buffer.from('secret-gps'))).toBe(false);
    expect(png.includes(Buffer.from('secret-gps'))).toBe(true);
  });

  it('refuses a "thumbnail" that is not an image, whatever its Content-Type says', async () => {
    expect(await failure(fetchThumbnail(`${base}/thumb-html.png`, open))).toBe('the thumbnail is not an image');
    expect(await failure(fetchThumbnail(`${base}/thumb-svg`, open))).toBe('the thumbnail is not an image');
  });
});
