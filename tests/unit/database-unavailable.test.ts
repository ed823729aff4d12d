import { createServer, type AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable, publicMessage } from '@/lib/auth/errors';

/**
 * isDatabaseUnavailable decides whether a failed save tells the writer "the database cannot be
 * reached, your text is kept" or "something went wrong". The errors here are the real ones: pg and
 * drizzle failing against a port where nothing listens, not hand-made look-alikes.
 */

/** A port that was free a moment ago and is closed now: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

let url: string;
beforeAll(async () => {
  url = `postgres://nobody@127.0.0.1:${await closedPort()}/nothing`;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('isDatabaseUnavailable', () => {
  it('is true for pg.Client connecting to a closed port (ECONNREFUSED)', async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    const error = await caught(() => client.connect());
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('is true for a pool query that cannot connect', async () => {
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      expect(isDatabaseUnavailable(await caught(() => pool.query('select 1')))).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('is true for the same failure wrapped by drizzle (the reason is in `cause`)', async () => {
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      const error = await caught(() => drizzle(pool).execute(sql`select 1`));
      expect(error).toBeInstanceOf(DrizzleQueryError);
      // The wrapper itself says nothing about the connection: only its cause does.
      expect((error as Error).message).not.toMatch(/ECONNREFUSED/);
      expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await pool.end();
    }
  });

  it('is true for PostgreSQL shutting down (57P01) and starting up (57P03), also when wrapped', () => {
    const shutdown = new pg.DatabaseError('terminating connection due to administrator command', 0, 'error');
    shutdown.code = '57P01';
    const starting = new pg.DatabaseError('the database system is starting up', 0, 'error');
    starting.code = '57P03';
    expect(isDatabaseUnavailable(shutdown)).toBe(true);
    expect(isDatabaseUnavailable(starting)).toBe(true);
    expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], shutdown))).toBe(true);
  });

  it('is true for a connection dropped mid-query ("Connection terminated unexpectedly")', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('is false for a plain Error, and for errors the database did answer', () => {
    expect(isDatabaseUnavailable(new Error('Something broke'))).toBe(false);
    // Mentioning the word is not the code: only pg's own error objects carry it.
    expect(isDatabaseUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(false);
    const unique = new pg.DatabaseError('duplicate key value violates unique constraint "posts_slug_unique"', 0, 'error');
    unique.code = '23505';
    expect(isDatabaseUnavailable(unique)).toBe(false);
    expect(isDatabaseUnavailable(new DrizzleQueryError('insert into posts …', [], unique))).toBe(false);
  });

  it('is false for things that are not errors, and stops on a cycle of causes', () => {
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toBe(false);
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as Error & { cause?: unknown }).cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

describe('publicMessage', () => {
  it('says the database cannot be reached (and nothing internal) for an unreachable database', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      const message = publicMessage(await caught(() => drizzle(pool).execute(sql`select 1`)));
      expect(message).toBe(DATABASE_UNAVAILABLE);
      expect(message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|select/);
    } finally {
      await pool.end();
    }
    expect(log).toHaveBeenCalled();
  });

  it('gives the generic line for any other failure', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(publicMessage(new Error('Something broke'))).toBe('Something went wrong. Nothing was changed; please try again.');
  });
});
