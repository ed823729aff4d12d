import 'server-only';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { env } from '@/lib/env';
import * as schema from './schema';

export type Database = NodePgDatabase<typeof schema>;

type Handle = { pool: pg.Pool; db: Database };

// One pool per process, kept on globalThis so development reloads do not open a new pool each time.
const globalForDb = globalThis as typeof globalThis & { __broadsheetDb?: Handle };

function connect(): Handle {
  const { DATABASE_URL, DATABASE_POOL_MAX, LOG_QUERIES } = env();
  const pool = new pg.Pool({
    connectionString: DATABASE_URL,
    max: DATABASE_POOL_MAX,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // A dropped idle connection (database restarted) must not crash the process; the pool reconnects.
  pool.on('error', (error) => console.error(`[db] idle client error: ${error.message}`));
  return { pool, db: drizzle(pool, { schema, logger: LOG_QUERIES }) };
}

export function getDb(): Database {
  globalForDb.__broadsheetDb ??= connect();
  return globalForDb.__broadsheetDb.db;
}

export async function closeDb(): Promise<void> {
  const handle = globalForDb.__broadsheetDb;
  globalForDb.__broadsheetDb = undefined;
  await handle?.pool.end();
}
