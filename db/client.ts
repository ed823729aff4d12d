import 'server-only';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { env } from '@/lib/env';
import { readsFromReplica } from './replica';
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

/** The primary: every write, the editor, and anything that must see the latest commit. */
export function getDb(): Database {
  globalForDb.__broadsheetDb ??= connect(env().DATABASE_URL);
  return globalForDb.__broadsheetDb.db;
}

/**
 * For public pages: the read replica (DATABASE_READ_URL) when there is one and it has replayed
 * every change announced so far (db/replica.ts), otherwise the primary.
 */
export function getReadDb(): Database {
  const url = env().DATABASE_READ_URL;
  if (!url || !readsFromReplica()) return getDb();
  globalForDb.__broadsheetReadDb ??= connect(url);
  return globalForDb.__broadsheetReadDb.db;
}

export async function closeDb(): Promise<void> {
  const handles = [globalForDb.__broadsheetDb, globalForDb.__broadsheetReadDb];
  globalForDb.__broadsheetDb = undefined;
  globalForDb.__broadsheetReadDb = undefined;
  await Promise.all(handles.map((handle) => handle?.pool.end()));
}
