import pg from 'pg';
import { lsnAtLeast, pinToPrimary, readsFromReplica, replayedUpTo, resolvePending } from '@/db/replica';

const POLL_MS = 50;
type Log = (message: string) => void;

/**
 * With DATABASE_READ_URL: whenever public reads are pinned to the primary (db/replica.ts), asks
 * the replica how far it has replayed and releases the pin once it has every announced change.
 * A change announced in this process has no known position yet: the primary's current position,
 * read after the change committed, stands for it. A database that is not a replica in recovery
 * never releases the pin (reads stay on the primary, which is always correct), with a warning.
 */
export function watchReplica(primaryUrl: string, replicaUrl: string, log: Log = console.warn): { onChange(lsn: string | null): void; stop(): Promise<void> } {
  const primary = new pg.Pool({ connectionString: primaryUrl, max: 1, connectionTimeoutMillis: 3_000 });
  const replica = new pg.Pool({ connectionString: replicaUrl, max: 1, connectionTimeoutMillis: 3_000 });
  for (const pool of [primary, replica]) pool.on('error', () => {});
  let warned = false;
  let busy = false;

  async function tick(): Promise<void> {
    if (busy || readsFromReplica()) return;
    busy = true;
    try {
      const { rows: current } = await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      resolvePending(current[0].lsn);
      const { rows } = await replica.query<{ replayed: string | null; recovery: boolean }>(
        'select pg_last_wal_replay_lsn()::text as replayed, pg_is_in_recovery() as recovery',
      );
      const { replayed, recovery } = rows[0];
      if (recovery && replayed) {
        if (replayedUpTo((lsn) => lsnAtLeast(replayed, lsn))) log('[db] the read replica is back and caught up: public reads use it again');
      } else if (!warned) {
        warned = true;
        log('[db] DATABASE_READ_URL is not a replica in recovery: public reads stay on the primary after each change');
      }
    } catch (error) {
      if (!warned) log(`[db] cannot check the replica (${(error as Error).message}): public reads stay on the primary`);
      warned = true;
    } finally {
      busy = false;
    }
  }

  const timer = setInterval(() => void tick(), POLL_MS);
  timer.unref();
  return {
    onChange(lsn) {
      pinToPrimary(lsn ?? 'pending');
    },
    async stop() {
      clearInterval(timer);
      await Promise.all([primary.end(), replica.end()]);
    },
  };
}
