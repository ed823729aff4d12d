import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';
import { z } from 'zod';

/**
 * GET /healthz and GET /readyz, answered by the server itself (scripts/serve.ts) before Next.js,
 * the replay cache and the page cache, so an answer is never a cached one:
 * - /healthz: this process answers (liveness). Always 200 `{"status":"ok"}`.
 * - /readyz: this process can serve (readiness): the database answers, every migration of the
 *   journal (db/migrations/meta/_journal.json) is applied, this process's LISTEN connection
 *   (lib/server/invalidation.ts) is up, and Redis, when REDIS_URL is set, is connected.
 *   200 when all hold, else 503 naming the checks that failed.
 * Both: JSON, `Cache-Control: no-store`, fixed wording (never an error message, which could name
 * a host, a user or a URL).
 */

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';

export type CheckResult = 'ok' | 'not configured' | string;
export type Readiness = { ready: boolean; checks: Record<string, CheckResult>; failed: string[] };

/** What drizzle's migrator reads from the journal: one entry per migration, `when` its folderMillis. */
const journalSchema = z.object({ entries: z.array(z.object({ tag: z.string(), when: z.number() })) });
export type Journal = z.infer<typeof journalSchema>;

export function readJournal(file: string): Journal {
  return journalSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/**
 * How many of the journal's migrations the database has not applied. Drizzle applies, in order,
 * every migration whose `when` is later than the newest `created_at` in drizzle.__drizzle_migrations.
 */
export function pendingMigrations(journal: Journal, newestApplied: number | null): number {
  return journal.entries.filter((entry) => newestApplied === null || entry.when > newestApplied).length;
}

export type HealthOptions = {
  databaseUrl: string;
  /** The migrations journal; read once, at start. */
  journalFile: string;
  /** Whether this process's LISTEN connection is up. */
  listening: () => boolean;
  /** Whether Redis is connected; null when REDIS_URL is not set. */
  redis: (() => boolean) | null;
  /** Longest a database check may take before it counts as a failure. */
  timeoutMs?: number;
};

export type Health = {
  readiness(): Promise<Readiness>;
  /** Answers /healthz and /readyz. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
};

export function createHealth({ databaseUrl, journalFile, listening, redis, timeoutMs = 2_000 }: HealthOptions): Health {
  let journal: Journal | null = null;
  try {
    journal = readJournal(journalFile);
  } catch {
    journal = null;
  }
  // One connection of its own: a readiness probe must not wait behind (or take from) the pages' pool.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    connectionTimeoutMillis: timeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'broadsheet-readyz',
  });
  pool.on('error', () => {});

  async function newestApplied(): Promise<{ reachable: boolean; newest: number | null }> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch {
      return { reachable: false, newest: null };
    }
    let broken = false;
    try {
      // No table yet: nothing applied.
      const { rows } = await client.query<{ present: boolean }>(`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
      if (!rows[0].present) return { reachable: true, newest: null };
      const result = await client.query<{ newest: string | null }>('select max(created_at)::text as newest from drizzle.__drizzle_migrations');
      const newest = result.rows[0].newest;
      return { reachable: true, newest: newest === null ? null : Number(newest) };
    } catch {
      broken = true;
      return { reachable: false, newest: null };
    } finally {
      // A connection that failed a query is dropped, not kept for the next probe.
      client.release(broken);
    }
  }

  async function readiness(): Promise<Readiness> {
    const checks: Record<string, CheckResult> = {};
    const db = await newestApplied();
    checks.database = db.reachable ? 'ok' : 'unreachable';
    if (!journal) checks.migrations = 'journal unreadable';
    else if (!db.reachable) checks.migrations = 'unknown (database unreachable)';
    else {
      const pending = pendingMigrations(journal, db.newest);
      checks.migrations = pending === 0 ? 'ok' : `${pending} of ${journal.entries.length} not applied`;
    }
    checks.listener = listening() ? 'ok' : 'disconnected';
    checks.redis = redis === null ? 'not configured' : redis() ? 'ok' : 'unreachable';
    const failed = Object.entries(checks)
      .filter(([, value]) => value !== 'ok' && value !== 'not configured')
      .map(([name]) => name);
    return { ready: failed.length === 0, checks, failed };
  }

  function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
      'x-content-type-options': 'nosniff',
      ...extra,
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  }

  return {
    readiness,
    async serve(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(req, res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
        return;
      }
      const path = (req.url ?? '/').split('?')[0];
      if (path === HEALTH_PATH) {
        send(req, res, 200, { status: 'ok' });
        return;
      }
      const state = await readiness();
      send(
        req,
        res,
        state.ready ? 200 : 503,
        state.ready ? { status: 'ready', checks: state.checks } : { status: 'not ready', checks: state.checks, failed: state.failed },
      );
    },
    async close() {
      await pool.end().catch(() => {});
    },
  };
}
