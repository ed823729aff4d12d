import 'server-only';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { isDatabaseUnavailable } from '@/lib/auth/errors';
import { env } from '@/lib/env';
import { readsFromReplica, replicaUnreachable } from './replica';
import * as schema from './schema';

export type Database = NodePgDatabase<typeof schema>;

type Handle = { pool: pg.Pool; db: Database };

// One pool per process, kept on globalThis so development reloads do not open a new pool each time.
const globalForDb = globalThis as typeof globalThis & { __broadsheetDb?: Handle; __broadsheetReadDb?: Handle };

function connect(url: string): Handle {
  const { DATABASE_POOL_MAX, LOG_QUERIES } = env();
  const pool = new pg.Pool({
    connectionString: url,
    max: DATABASE_POOL_MAX,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // A dropped idle connection (database restarted) must not crash the process; the pool reconnects.
  pool.on('error', (error) => console.error(`[db] idle client error: ${error.message}`));
  return { pool, db: drizzle(pool, { schema, logger: LOG_QUERIES }) };
}

function primary(): Handle {
  globalForDb.__broadsheetDb ??= connect(env().DATABASE_URL);
  return globalForDb.__broadsheetDb;
}

/** The primary: every write, the editor, and anything that must see the latest commit. */
export function getDb(): Database {
  return primary().db;
}

/**
 * A replica that cannot be reached (down, restarting, cut off) must not take public pages down:
 * a read it cannot answer is answered by the primary, and reads stay there until the replica is
 * back and caught up (db/replica.ts, lib/server/replica-watch.ts). Reads only, so a retry is safe.
 */
function fallBackToPrimary(replica: pg.Pool): void {
  const query = replica.query.bind(replica) as (...args: unknown[]) => Promise<unknown>;
  replica.query = (async (...args: unknown[]) => {
    if (typeof args.at(-1) === 'function') return query(...args);
    try {
      return await query(...args);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (replicaUnreachable()) {
        console.warn(`[db] the read replica cannot be reached (${(error as Error).message}): public reads go to the primary until it is back`);
      }
      return (primary().pool.query as (...args: unknown[]) => Promise<unknown>)(...args);
    }
  }) as typeof replica.query;
}

/**
 * For public pages: the read replica (DATABASE_READ_URL) when there is one and it has replayed
 * every change announced so far (db/replica.ts), otherwise the primary.
 */
export function getReadDb(): Database {
  const url = env().DATABASE_READ_URL;
  if (!url || !readsFromReplica()) return getDb();
  if (!globalForDb.__broadsheetReadDb) {
    globalForDb.__broadsheetReadDb = connect(url);
    fallBackToPrimary(globalForDb.__broadsheetReadDb.pool);
  }
  return globalForDb.__broadsheetReadDb.db;
}

/** The connections of the pools this process has open (for the server's metrics, lib/observe/metrics.ts). */
export function poolStats(): { pool: string; total: number; idle: number; waiting: number }[] {
  const handles = [
    ['primary', globalForDb.__broadsheetDb],
    ['replica', globalForDb.__broadsheetReadDb],
  ] as const;
  return handles.flatMap(([name, handle]) =>
    handle ? [{ pool: name, total: handle.pool.totalCount, idle: handle.pool.idleCount, waiting: handle.pool.waitingCount }] : [],
  );
}

export async function closeDb(): Promise<void> {
  const handles = [globalForDb.__broadsheetDb, globalForDb.__broadsheetReadDb];
  globalForDb.__broadsheetDb = undefined;
  globalForDb.__broadsheetReadDb = undefined;
  await Promise.all(handles.map((handle) => handle?.pool.end()));
}
