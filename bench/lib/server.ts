/**
 * Production servers for a run: N instances on consecutive ports, each in its own process group
 * (spawned detached, i.e. setsid), stopped by group so no worker is left behind, also on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { onCleanup } from './cleanup';
import { MIN_HEAP_MB, SERVE_ARGS, SERVE_NODE_FLAGS, serverHeapMb } from '../../scripts/lib/serve-command';

const root = path.resolve(import.meta.dirname, '../..');
export const resultsDir = path.join(root, 'bench/results');

/** heapFlags: false starts the server without SERVE_NODE_FLAGS (the old and young space sizes). */
export type ServerOptions = { heapFlags?: boolean };

export type ServerCommand = { command: string; args: string[]; description: string };

export type ServerHandle = {
  port: number;
  /** Process id of the group leader: its process group id too. */
  pgid: number;
  baseUrl: string;
  command: string;
  logFile: string;
  stop(): Promise<void>;
};

/**
 * THE place that decides how the production server is started. `scripts/serve.ts` (the server with
 * its own compression and invalidation listener) when the checkout has it, else plain `next start`
 * — run through Next's own bin rather than npx, so no npm process sits in the group and counts
 * towards the memory figure.
 */
export function serverCommand(port: number, options: ServerOptions = {}): ServerCommand {
  if (existsSync(path.join(root, 'scripts/serve.ts'))) {
    // The RSS targets were measured with a 128 MB old space (scripts/lib/serve-command.ts); the
    // server's default now follows the machine's memory, so the benchmark pins it unless SERVER_HEAP_MB is set.
    const heapMb = serverHeapMb({ SERVER_HEAP_MB: process.env.SERVER_HEAP_MB || String(MIN_HEAP_MB) });
    // Without the flags: V8's own heap sizing, what the heap-flags row compares against (issue 15, target 6).
    const args =
      options.heapFlags === false
        ? SERVE_ARGS.filter((arg) => !SERVE_NODE_FLAGS.includes(arg))
        : SERVE_ARGS.map((arg) => (arg.startsWith('--max-old-space-size=') ? `--max-old-space-size=${heapMb}` : arg));
    return { command: process.execPath, args, description: `node ${args.join(' ')}` };
  }
  const next = path.join(root, 'node_modules/next/dist/bin/next');
  return { command: process.execPath, args: [next, 'start', '-p', String(port)], description: `next start -p ${port}` };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitUntilServing(handle: ServerHandle, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the server on port ${handle.port} exited while starting. Log ${handle.logFile}:\n${logTail(handle.logFile)}`);
    try {
      const response = await fetch(`${handle.baseUrl}/robots.txt`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`the server on port ${handle.port} did not answer within ${timeoutMs / 1000} s. Log ${handle.logFile}:\n${logTail(handle.logFile)}`);
}

/** Server logs written in this run: a second start on a port appends rather than starting the file anew. */
const logsOpened = new Set<string>();

async function startOne(port: number, env: NodeJS.ProcessEnv, options: ServerOptions): Promise<ServerHandle> {
  if (!(await portIsFree(port))) {
    throw new Error(`port ${port} is already in use: stop what runs there or pass --port`);
  }
  const { command, args, description } = serverCommand(port, options);
  const logFile = path.join(resultsDir, `server-${port}.log`);
  // The server writes its log to the file itself, so this process is never in the way of its
  // (synchronous) log writes; a server started again on the same port (the restart row) adds to the
  // same file, so the first start's log is kept for reading after the run.
  const log = openSync(logFile, logsOpened.has(logFile) ? 'a' : 'w');
  logsOpened.add(logFile);
  const child = spawn(command, args, {
    cwd: root,
    env: { ...env, PORT: String(port), SITE_URL: `http://localhost:${port}` },
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const pgid = child.pid!;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const stop = async () => {
    killGroup(pgid, 'SIGTERM');
    for (let waited = 0; waited < 5_000 && groupAlive(pgid); waited += 100) await sleep(100);
    // Whatever ignored SIGTERM (or a worker outliving its parent) goes now.
    killGroup(pgid, 'SIGKILL');
    unregister();
  };
  const unregister = onCleanup(`server on port ${port}`, stop, () => killGroup(pgid, 'SIGKILL'));
  const handle: ServerHandle = { port, pgid, baseUrl: `http://localhost:${port}`, command: description, logFile, stop };
  await waitUntilServing(handle, () => exited, 90_000);
  return handle;
}

/** Starts `count` servers on ports basePort, basePort+1, … (later: behind a round-robin proxy). */
export async function startServers(count: number, basePort: number, env: NodeJS.ProcessEnv, options: ServerOptions = {}): Promise<ServerHandle[]> {
  const servers: ServerHandle[] = [];
  for (let i = 0; i < count; i += 1) servers.push(await startOne(basePort + i, env, options));
  return servers;
}

export async function stopServers(servers: ServerHandle[]): Promise<void> {
  await Promise.all(servers.map((server) => server.stop()));
}
