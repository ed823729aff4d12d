/**
 * One webhook request against a real HTTP receiver on 127.0.0.1: what it sends, what it keeps of
 * the answer, and what it refuses to reach (a private address by name or literally, a redirect).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postWebhook, SNIPPET_BYTES } from '@/lib/webhooks/send';

type Seen = { method: string; path: string; headers: IncomingMessage['headers']; body: string };
let seen: Seen[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok');
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  answer = (_req, res) => res.end('ok');
});

const send = (url: string, allowPrivate: boolean, timeoutMs?: number) =>
  postWebhook({ url, body: '{"event":"post.published"}', headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' }, allowPrivate, timeoutMs });

describe('postWebhook', () => {
  it('POSTs the body with the headers; 2xx is success, with the answer kept', async () => {
    answer = (_req, res) => res.writeHead(202).end('accepted');
    const attempt = await send(`http://127.0.0.1:${port}/hook?x=1`, true);
    expect(attempt).toMatchObject({ ok: true, status: 202, snippet: 'accepted' });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/hook?x=1', body: '{"event":"post.published"}' });
    expect(seen[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-test': 'yes', 'content-length': '26' });
  });

  it('a non-2xx answer is a failure with its status and the first 500 bytes of what it said (at most 4 KB read)', async () => {
    answer = (_req, res) => res.writeHead(500).end('é'.repeat(100_000));
    const attempt = await send(`http://127.0.0.1:${port}/`, true);
    expect(attempt).toMatchObject({ ok: false, status: 500 });
    expect(Buffer.byteLength(attempt.snippet)).toBe(SNIPPET_BYTES);
    expect(attempt.snippet).toBe('é'.repeat(250));
  });

  it('refuses a private address by name before connecting when private targets are not allowed (the lookup is checked)', async () => {
    const attempt = await send(`http://localhost:${port}/`, false);
    expect(attempt).toMatchObject({ ok: false, status: null });
    expect(attempt.snippet).toMatch(/^Refused: localhost resolves to (127\.0\.0\.1 is a loopback|::1 is a loopback)/);
    expect(seen).toEqual([]);
    // The same name is reached when they are allowed: the refusal above was the guard's.
    expect((await send(`http://localhost:${port}/`, true)).ok).toBe(true);
  });

  it.each(['127.0.0.1', '[::ffff:127.0.0.1]', '2130706433', '0x7f.0.0.1'])('refuses the literal address %s without a request', async (host) => {
    const attempt = await send(`http://${host}:${port}/`, false);
    expect(attempt.snippet).toContain('Refused: 127.0.0.1 is a loopback address');
    expect(attempt.ok).toBe(false);
    expect(seen).toEqual([]);
  });

  it('does not follow a redirect, even to an allowed address', async () => {
    answer = (req, res) => (req.url === '/moved' ? res.writeHead(307, { Location: `http://127.0.0.1:${port}/final` }).end() : res.end('final'));
    const attempt = await send(`http://127.0.0.1:${port}/moved`, true);
    expect(attempt).toMatchObject({ ok: false, status: 307 });
    expect(attempt.snippet).toContain(`Redirected to http://127.0.0.1:${port}/final: webhooks do not follow redirects`);
    expect(seen.map((s) => s.path)).toEqual(['/moved']);
  });

  it('gives up at the deadline, and says so when nothing answers', async () => {
    answer = () => undefined; // never answers
    const slow = await send(`http://127.0.0.1:${port}/`, true, 300);
    expect(slow).toMatchObject({ ok: false, status: null, snippet: 'No answer within 0.3 s.' });
    expect(slow.durationMs).toBeGreaterThanOrEqual(290);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await send(`http://127.0.0.1:${closedPort}/`, true);
    expect(refused).toMatchObject({ ok: false, status: null });
    expect(refused.snippet).toContain('ECONNREFUSED');
  });
});
