/**
 * For database-down.spec.ts: a PostgreSQL server of the spec's own, which it stops and starts at
 * will (never the machine's server nor the embedded one), and a Broadsheet production server of its
 * own (scripts/serve.ts) against it. Both are cleaned up by the spec's afterAll and, should the
 * worker die first, by an exit hook.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveEmbeddedBinaries } from '../../scripts/lib/embedded-binaries';
import { SERVE_ARGS } from '../../scripts/lib/serve-command';
import { withClient } from './editor-helpers';
import { KeptOutput } from './kept-output';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * PostgreSQL's binaries: FAULTS_PG_BIN, else the system's PostgreSQL 15, else the embedded one from
 * npm for this machine's platform (scripts/lib/embedded-binaries.ts), so the spec needs no more than
 * `npm test` does.
 */
async function pgBin(): Promise<string> {
  if (process.env.FAULTS_PG_BIN) return process.env.FAULTS_PG_BIN;
  const system = '/usr/lib/postgresql/15/bin';
  if (existsSync(path.join(system, 'pg_ctl'))) return system;
  return path.dirname((await resolveEmbeddedBinaries()).pg_ctl);
}

/** `preferred` if nobody listens there on 127.0.0.1, else a port the system picks. */
export async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address() as AddressInfo;
        server.close(() => resolve(bound));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0))!;
}

/** PostgreSQL refuses to run as root: its binaries then run as the `postgres` system user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** A throwaway PostgreSQL: its own data directory under /tmp, trust auth, TCP on 127.0.0.1 only. */
export class LocalPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  private get logFile(): string {
    return path.join(this.dir, 'server.log');
  }

  static async create(preferredPort: number): Promise<LocalPostgres> {
    const dir = mkdtempSync('/tmp/broadsheet-faults-');
    const user = runAs();
    if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
    const server = new LocalPostgres(dir, await freePort(preferredPort), await pgBin());
    server.pg('initdb', ['-D', server.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']);
    return server;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private pg(bin: 'initdb' | 'pg_ctl', args: string[]): void {
    // cwd: the postgres user may not be allowed into the repository's directory.
    execFileSync(path.join(this.bin, bin), args, { ...runAs(), cwd: this.dir, stdio: 'pipe', timeout: 90_000 });
  }

  start(): void {
    // -k '': no Unix socket. fsync off: a test database, and the machine's disk is shared.
    const options = `-p ${this.port} -k '' -c listen_addresses=127.0.0.1 -c fsync=off`;
    this.pg('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', '-o', options, 'start']);
  }

  /** Fast shutdown, as an operator would: open connections are terminated, then the server exits. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.pg('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  running(): boolean {
    try {
      this.pg('pg_ctl', ['-D', this.dataDir, 'status']);
      return true;
    } catch {
      return false;
    }
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Stops the server if it runs and deletes its directory. Safe to call twice. */
  destroy(): void {
    try {
      if (this.running()) this.stop('immediate');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

export { withClient };

/** The same environment a production server gets, minus anything that would share state with other runs. */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['REDIS_URL', 'DATABASE_READ_URL', 'HOSTNAME', 'PORT', 'E2E_PORT']) delete env[name];
  return { ...env, NODE_ENV: 'production', ...extra };
}

/** Runs the content import (the real CLI) into `databaseUrl`. */
export function importContent(databaseUrl: string, siteUrl: string, dirs: string[]): void {
  for (const dir of dirs) {
    execFileSync('node', ['--conditions=react-server', '--import', 'tsx', 'scripts/content-import.ts', dir], {
      cwd: root,
      env: serverEnv({ DATABASE_URL: databaseUrl, SITE_URL: siteUrl, AUTH_SECRET: TEST_AUTH_SECRET }),
      stdio: 'pipe',
      timeout: 120_000,
    });
  }
}

export const TEST_AUTH_SECRET = 'faults-secret-faults-secret-faults-secret-0123';

/** The compiled production server (scripts/lib/serve-command.ts) in its own process group, with its output kept for the report. */
export class BroadsheetServer {
  private readonly output = new KeptOutput(200_000);
  private exited: number | null | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    const keep = (chunk: Buffer) => this.output.add(chunk);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      this.exited = code;
    });
  }

  get origin(): string {
    return `http://localhost:${this.port}`;
  }

  get log(): string {
    return this.output.text;
  }

  /** A position in the log, for waitForLog's `from`. */
  get logLength(): number {
    return this.output.length;
  }

  /** True until the process exits (for whatever reason). */
  get running(): boolean {
    return this.exited === undefined;
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start({ port, databaseUrl, readyTimeoutMs = 120_000 }: { port: number; databaseUrl: string; readyTimeoutMs?: number }): Promise<BroadsheetServer> {
    const child = spawn(process.execPath, SERVE_ARGS, {
      cwd: root,
      detached: true, // its own process group: stopping it stops whatever it started
      stdio: ['ignore', 'pipe', 'pipe'],
      env: serverEnv({
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        SITE_URL: `http://localhost:${port}`,
        AUTH_SECRET: TEST_AUTH_SECRET,
      }),
    });
    const server = new BroadsheetServer(child, port);
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (server.exited !== undefined) throw new Error(`the Broadsheet server exited (${server.exited}) before it was ready:\n${server.log.slice(-4000)}`);
      try {
        const response = await fetch(`${server.origin}/robots.txt`, { signal: AbortSignal.timeout(5_000) });
        if (response.ok) return server;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await server.stop();
    throw new Error(`the Broadsheet server was not ready after ${readyTimeoutMs} ms:\n${server.log.slice(-4000)}`);
  }

  /** Waits until the server's output matches `pattern` (after position `from`, a `logLength`). */
  async waitForLog(pattern: RegExp, { from = 0, timeoutMs = 20_000 } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output.since(from))) {
      if (Date.now() > deadline) throw new Error(`the server never logged ${pattern} within ${timeoutMs} ms; its output:\n${this.output.text.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * SIGTERM to the process group (the server shuts down in order), SIGKILL if it lingers; then the
   * pages it kept on disk (scripts/serve.ts: <dist dir>/cache/broadsheet-pages/<port>) are deleted.
   */
  async stop(): Promise<void> {
    if (this.exited === undefined) {
      const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      signalGroup(this.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(this.pid, 'SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(path.join(root, process.env.NEXT_DIST_DIR || '.next', 'cache', 'broadsheet-pages', String(this.port)), { recursive: true, force: true });
  }
}

/** Signals a whole process group; a group that is already gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** A stack trace or a raw driver error in a response body: never something a reader may see. */
export const INTERNALS = [
  /ECONNREFUSED/,
  /\n {4}at /, // a stack frame on its own line, as V8 prints it
  /\bat\s+(async\s+)?[\w$.<>[\]]+\s+\([^)]*:\d+:\d+\)/, // "at fn (file:1:2)"
  /\bat\s+(file:\/\/|node:|\/)[^\s]*:\d+:\d+/, // "at /path/file.js:1:2"
  /node_modules/,
  /DrizzleQueryError|Failed query|DatabaseError|terminating connection/,
];

export function internalsIn(body: string): string[] {
  return INTERNALS.filter((pattern) => pattern.test(body)).map((pattern) => `${pattern} → ${body.match(pattern)![0].slice(0, 120)}`);
}
