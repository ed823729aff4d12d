/**
 * What every way of running Broadsheet needs first: a database (configured or embedded), the
 * migrations applied, and a secret for sessions. Shared by `npm start`, the tests and the benchmark.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { dataDir, ensureDatabase, type DatabaseHandle } from './database';
import { migrateDatabase } from './migrate';

/** A stable secret for a local install, kept in .data/ (git-ignored), when AUTH_SECRET is not set. */
export function localAuthSecret(): string {
  const file = path.join(dataDir, 'auth-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

export async function countPosts(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('select count(*) as n from posts');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

export async function prepareDatabase(): Promise<DatabaseHandle> {
  const db = await ensureDatabase();
  try {
    await migrateDatabase(db.url);
  } catch (error) {
    await db.release();
    throw error;
  }
  return db;
}
