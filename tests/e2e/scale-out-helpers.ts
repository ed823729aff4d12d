/**
 * For scale-out.spec.ts: a Redis of the spec's own (never the machine's), Broadsheet production
 * servers of its own (scripts/serve.ts, each in its own process group), pages fetched and polled
 * with their timing, a load of concurrent readers, and a stand-in "replica" database. Everything
 * started here is stopped by the spec's afterAll and, should the worker die first, by an exit hook.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVE_ARGS } from '../../scripts/lib/serve-command';
import { withClient } from './editor-helpers';
import { freePort } from './database-down-helpers';
import { KeptOutput } from './kept-output';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// -------------------------------------------------------------------------------------------------
// Processes

/** Process groups still running: killed on exit if the spec could not stop them itself. */
const running = new Set<number>();
process.once('exit', () => {
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

// One way to find a free port, shared with the database-down spec.
export { freePort };

/** A child in its own process group whose output is kept, stopped by signalling the group. */
class Child {
  private readonly output = new KeptOutput(400_000);
  exited: number | null | undefined;
  private readonly done: Promise<void>;

  constructor(readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => this.output.add(chunk);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    running.add(child.pid!);
    this.done = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exited = code ?? (signal ? -1 : null);
        running.delete(child.pid!);
        resolve();
      }),
    );
  }

  get log(): string {
    return this.output.text;
  }

  /** A position in the output, for `logSince`. */
  get logLength(): number {
    return this.output.length;
  }

  logSince(position: number): string {
    return this.output.since(position);
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** Signals the whole process group; SIGKILL if it is still there after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.alive) return;
    const pgid = this.child.pid!;
    try {
      process.kill(-pgid, signal);
    } catch {
      return;
    }
    const timer = sleep(graceMs).then(() => 'timeout' as const);
    if ((await Promise.race([this.done.then(() => 'exited' as const), timer])) === 'timeout') {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
      await this.done;
    }
    // Whatever the group started (none expected) goes too.
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Nothing left.
    }
  }
}

/** `redis-server` on a port of its own, without persistence: killed, it comes back empty. */
export class RedisServer {
  private current: Child | null = null;
  private constructor(readonly port: number) {}

  static async start(preferredPort: number): Promise<RedisServer> {
    const server = new RedisServer(await freePort(preferredPort));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.current?.log ?? '';
  }

  async start(): Promise<void> {
    const child = spawn(
      process.env.REDIS_SERVER ?? '/usr/bin/redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { cwd: '/tmp', detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.current = new Child(child);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (!this.current.alive) throw new Error(`redis-server exited before it was ready:\n${this.current.log.slice(-2000)}`);
      if ((await this.ping()) === '+PONG') return;
      await sleep(50);
    }
    throw new Error(`redis-server on ${this.port} was not ready after 15 s:\n${this.current.log.slice(-2000)}`);
  }

  /** SIGKILL: Redis disappears as in a crash, with connections reset, not closed politely. */
  async kill(): Promise<void> {
    await this.current?.stop('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.current?.stop('SIGTERM', 5_000);
  }

  /**
   * One command over a raw socket (no client library, so nothing reconnects behind our back); the
   * answer's first line (`+PONG`, `:1`), or null if Redis does not answer.
   */
  command(...args: string[]): Promise<string | null> {
    return new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: this.port });
      let answer = '';
      const finish = (value: string | null) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(1_000, () => finish(null));
      socket.once('error', () => finish(null));
      socket.on('data', (chunk) => {
        answer += chunk.toString('utf8');
        if (answer.includes('\r\n')) finish(answer.slice(0, answer.indexOf('\r\n')));
      });
      socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`);
    });
  }

  ping(): Promise<string | null> {
    return this.command('PING');
  }

  /**
   * Whether the page cache has an entry for `pathname` in Redis. Next.js keys an app page as
   * `/route-cache/APP_PAGE/<hash>/$<pathname>`; the tier adds its prefix.
   */
  async hasPage(pathname: string): Promise<boolean> {
    const pattern = `broadsheet:page:*/$${pathname.replace(/[*?[\]\\]/g, '\\$&')}`;
    return (await this.command('EVAL', "return #redis.call('keys', ARGV[1])", '0', pattern)) === ':1';
  }

  /** Whether an instance has stored its finished response for `pathname` (lib/server/replay.ts). */
  async hasReplay(pathname: string): Promise<boolean> {
    const pattern = `broadsheet:page:*:replay:${pathname.replace(/[*?[\]\\]/g, '\\$&')}`;
    return (await this.command('EVAL', "return #redis.call('keys', ARGV[1])", '0', pattern)) === ':1';
  }
}

export type ServerOptions = {
  name: string;
  port: number;
  databaseUrl: string;
  siteUrl: string;
  authSecret: string;
  redisUrl?: string;
  readUrl?: string;
};

/** scripts/serve.ts as every launcher runs it (scripts/lib/serve-command.ts), on the e2e stage's build (NEXT_DIST_DIR). */
export class BroadsheetServer {
  private constructor(
    private readonly process: Child,
    readonly name: string,
    readonly port: number,
  ) {}

  get origin(): string {
    return `http://localhost:${this.port}`;
  }

  get log(): string {
    return this.process.log;
  }

  /** A position in the log, for waitForLog's `from`. */
  get logLength(): number {
    return this.process.logLength;
  }

  static async start(options: ServerOptions, readyTimeoutMs = 120_000): Promise<BroadsheetServer> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['REDIS_URL', 'DATABASE_READ_URL', 'HOSTNAME', 'PORT', 'E2E_PORT', 'NEXTAUTH_URL']) delete env[name];
    const child = spawn(process.execPath, SERVE_ARGS, {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env,
        NODE_ENV: 'production',
        PORT: String(options.port),
        HOSTNAME: '127.0.0.1',
        DATABASE_URL: options.databaseUrl,
        SITE_URL: options.siteUrl,
        AUTH_SECRET: options.authSecret,
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        ...(options.readUrl ? { DATABASE_READ_URL: options.readUrl } : {}),
      },
    });
    const server = new BroadsheetServer(new Child(child), options.name, options.port);
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (!server.process.alive) throw new Error(`server ${options.name} exited before it was ready:\n${server.log.slice(-4000)}`);
      try {
        const response = await fetch(`${server.origin}/robots.txt`, { signal: AbortSignal.timeout(5_000) });
        if (response.ok) return server;
      } catch {
        // Not listening yet.
      }
      await sleep(250);
    }
    await server.stop();
    throw new Error(`server ${options.name} was not ready after ${readyTimeoutMs} ms:\n${server.log.slice(-4000)}`);
  }

  /** Waits until the log (from character `from` on) matches; the time it took, or null. */
  async waitForLog(pattern: RegExp, timeoutMs: number, from = 0): Promise<number | null> {
    const start = performance.now();
    while (performance.now() - start < timeoutMs) {
      if (pattern.test(this.process.logSince(from))) return performance.now() - start;
      await sleep(25);
    }
    return null;
  }

  async stop(): Promise<void> {
    await this.process.stop('SIGTERM', 10_000);
  }
}

/**
 * A TCP forwarder in this process, standing between a server and a database: stopping it is the
 * database going away as a crashed or cut-off host would (new connections refused, open ones reset).
 */
export class TcpProxy {
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }, preferredPort: number): Promise<TcpProxy> {
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = createConnection(target);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        socket.once('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    const port = await freePort(preferredPort);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return new TcpProxy(server, sockets, port);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// -------------------------------------------------------------------------------------------------
// Reading pages

export type Page = { status: number; body: string; cache: string | null; ms: number };

export async function getPage(origin: string, pathname: string): Promise<Page> {
  const start = performance.now();
  const response = await fetch(origin + pathname, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  const body = await response.text();
  return { status: response.status, body, cache: response.headers.get('x-nextjs-cache'), ms: performance.now() - start };
}

export type Poll = { url: string; ms: number; tries: number; last: Page };

/**
 * Requests `origin + pathname` back to back until `ok(page)`; `ms` is from `since` (performance.now()
 * of the event being waited on) to the end of the first response that satisfied it.
 */
export async function pollUntil(
  origin: string,
  pathname: string,
  ok: (page: Page) => boolean,
  { since, timeoutMs = 10_000, intervalMs = 20 }: { since: number; timeoutMs?: number; intervalMs?: number },
): Promise<Poll> {
  let tries = 0;
  let last: Page | null = null;
  while (true) {
    tries++;
    last = await getPage(origin, pathname);
    const now = performance.now();
    if (ok(last)) return { url: origin + pathname, ms: now - since, tries, last };
    if (now - since > timeoutMs) {
      throw new Error(
        `${origin}${pathname} did not satisfy the condition within ${timeoutMs} ms (${tries} tries, last ${last.status}, x-nextjs-cache ${last.cache})`,
      );
    }
    await sleep(intervalMs);
  }
}

// -------------------------------------------------------------------------------------------------
// Load

export type LoadResult = {
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: { at: number; url: string; status: number }[];
  socketErrors: { at: number; url: string; error: string }[];
  /** Requests that ended after `markAt` (e.g. Redis killed), their 5xx, and their x-nextjs-cache values. */
  afterMark: { requests: number; serverErrors: number; cache: Record<string, number> };
  durationMs: number;
};

/**
 * `concurrency` loops, each requesting the next of `origins × paths` as soon as its previous answer
 * is read, for `durationMs`. `events` run at their offsets (ms) while the load goes on; the one
 * with `mark` sets `markAt`. `{n}` in a path becomes the request's number (a query never asked before).
 */
export async function runLoad({
  origins,
  paths,
  concurrency,
  durationMs,
  events = [],
}: {
  origins: string[];
  paths: string[];
  concurrency: number;
  durationMs: number;
  events?: { atMs: number; run: () => Promise<unknown>; mark?: boolean }[];
}): Promise<LoadResult & { markAt: number | null }> {
  const targets = origins.flatMap((origin) => paths.map((p) => origin + p));
  const result: LoadResult & { markAt: number | null } = {
    requests: 0,
    byStatus: {},
    serverErrors: [],
    socketErrors: [],
    afterMark: { requests: 0, serverErrors: 0, cache: {} },
    durationMs,
    markAt: null,
  };
  const start = performance.now();
  const end = start + durationMs;
  let next = 0;
  const loop = async (offset: number) => {
    next += offset;
    while (performance.now() < end) {
      const url = targets[next % targets.length].replaceAll('{n}', String(next++));
      try {
        const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
        await response.arrayBuffer();
        const at = performance.now() - start;
        result.requests++;
        result.byStatus[response.status] = (result.byStatus[response.status] ?? 0) + 1;
        if (response.status >= 500) result.serverErrors.push({ at, url, status: response.status });
        if (result.markAt !== null && at >= result.markAt) {
          result.afterMark.requests++;
          if (response.status >= 500) result.afterMark.serverErrors++;
          const cache = response.headers.get('x-nextjs-cache') ?? 'none';
          result.afterMark.cache[cache] = (result.afterMark.cache[cache] ?? 0) + 1;
        }
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        result.socketErrors.push({ at: performance.now() - start, url, error: `${(error as Error).message} ${cause?.code ?? cause?.message ?? ''}`.trim() });
      }
    }
  };
  const timed = events.map(async ({ atMs, run, mark }) => {
    await sleep(atMs);
    if (mark) result.markAt = performance.now() - start;
    await run();
  });
  await Promise.all([...Array.from({ length: concurrency }, (_, i) => loop(i)), ...timed]);
  result.durationMs = performance.now() - start;
  return result;
}

// -------------------------------------------------------------------------------------------------
// Databases

export { withClient };

/** The same server, another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Drops `name` on the server of `url` (terminating its connections first), if it exists. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  await withClient(withDatabase(url, 'postgres'), async (admin) => {
    await admin.query(`drop database if exists "${name.replaceAll('"', '""')}" with (force)`);
  });
}

export async function createDatabase(url: string, name: string): Promise<string> {
  await dropDatabase(url, name);
  await withClient(withDatabase(url, 'postgres'), async (admin) => {
    await admin.query(`create database "${name.replaceAll('"', '""')}"`);
  });
  return withDatabase(url, name);
}
