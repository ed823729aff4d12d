/**
 * "The old site" for import tests: a local HTTP server that serves a WordPress or Ghost site's
 * images (distinct small images generated per path), so an import can download them without the
 * internet. A path containing "missing" answers 404, like an image deleted on the old site.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export type OldSite = { url: string; requests: string[]; close: () => Promise<void> };

async function imageFor(path: string): Promise<{ type: string; body: Buffer }> {
  const [r, g, b] = createHash('sha1').update(path).digest();
  const image = sharp({ create: { width: 48, height: 32, channels: 3, background: { r, g, b } } });
  if (path.endsWith('.png')) return { type: 'image/png', body: await image.png().toBuffer() };
  return { type: 'image/jpeg', body: await image.jpeg().toBuffer() };
}

export async function startOldSite(port = 4599, host = '127.0.0.1'): Promise<OldSite> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (!/\.(jpe?g|png)$/i.test(path) || path.includes('missing')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    imageFor(path).then(
      ({ type, body }) => res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
