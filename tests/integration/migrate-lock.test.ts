/**
 * Migrations under PostgreSQL's advisory lock (scripts/lib/migrate.ts): several containers starting
 * at once against one fresh database take turns, and each migration is applied exactly once.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@/scripts/lib/migrate';

const base = new URL(process.env.DATABASE_URL!);
const name = `broadsheet_migrate_${randomBytes(4).toString('hex')}`;
const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
const admin = () => new pg.Client({ connectionString: base.toString() });

beforeAll(async () => {
  const client = admin();
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
});
afterAll(async () => {
  const client = admin();
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
});

describe('migrateDatabase', () => {
  it('waits for the lock another process holds, then three at once apply each migration once', async () => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query('select pg_advisory_lock(720451)');
    let finished = false;
    const waiting = migrateDatabase(url).then(() => (finished = true));
    // The waiting migrator is blocked on the lock, visible in pg_locks, and has changed nothing.
    for (let i = 0; i < 100; i++) {
      const { rows } = await holder.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
      if (rows[0].n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { rows: blocked } = await holder.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
    expect(blocked[0].n).toBe(1);
    expect(finished).toBe(false);
    const { rows: tables } = await holder.query(`select count(*)::int as n from information_schema.tables where table_name = 'posts'`);
    expect(tables[0].n).toBe(0);
    await holder.query('select pg_advisory_unlock(720451)');
    await holder.end();
    await waiting;

    await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    const { rows } = await check.query('select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash');
    await check.end();
    const files = readdirSync(new URL('../../db/migrations', import.meta.url)).filter((file) => file.endsWith('.sql'));
    expect(rows).toHaveLength(files.length);
    expect(rows.every((row) => row.n === 1)).toBe(true);
  });
});
