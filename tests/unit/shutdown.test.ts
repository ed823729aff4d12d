import { Agent, createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeGracefully } from '@/lib/server/shutdown';

let server: Server | null = null;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = null;
});

/** A real server on 127.0.0.1 whose /slow answers after `slowMs`, everything else at once. */
async function listen(slowMs: number): Promise<number> {
  server = createServer((req, res) => {
    const done = () => res.end(`done ${req.url}`);
    if (req.url === '/slow') setTimeout(done, slowMs);
    else done();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('graceful shutdown (SIGTERM in scripts/serve.ts)', () => {
  it('lets a slow request in flight finish, refuses new connections meanwhile, and closes idle keep-alive connections at once', async () => {
    const port = await listen(800);
    // An idle keep-alive connection (a request answered, the socket kept): it must not hold the
    // shutdown up until keepAliveTimeout.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const idleClosed = new Promise<void>((resolve) => {
      request({ host: '127.0.0.1', port, path: '/fast', agent }, (res) => res.resume())
        .on('socket', (socket) => socket.once('close', () => resolve()))
        .end();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const slow = get(port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 150)); // the request has reached the server
    const started = Date.now();
    const closing = closeGracefully(server!, { graceMs: 5_000 });

    expect(await connects(port)).toBe(false);
    await idleClosed;
    expect(await slow).toEqual({ status: 200, body: 'done /slow' });
    expect(await closing).toEqual({ forced: false });
    agent.destroy();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(500);
    expect(took).toBeLessThan(3_000);
  });

  it('cuts off a request still running after the grace period', async () => {
    const port = await listen(60_000);
    const slow = get(port, '/slow').then(
      () => 'answered',
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    expect(await closeGracefully(server!, { graceMs: 300 })).toEqual({ forced: true });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await slow).toBe('cut off');
  });
});
