import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Logger, runMigrations as migrateJobQueue } from 'graphile-worker';
import pg from 'pg';

const migrationsFolder = path.resolve(import.meta.dirname, '../../db/migrations');
// Any fixed number: the advisory lock that keeps two processes from migrating at once.
const MIGRATION_LOCK = 720_451;

const quietLogger = new Logger(() => () => undefined);

export async function migrateDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('set client_min_messages = warning');
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
    // The job queue's own tables and functions (schema graphile_worker), which lib/jobs/queue.ts calls.
    await migrateJobQueue({ connectionString: url, logger: quietLogger });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}
