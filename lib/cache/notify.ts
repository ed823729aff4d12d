import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import type { Change } from './page-cache';

/** The PostgreSQL channel every server process listens on (lib/server/invalidation.ts). */
export const CHANGES_CHANNEL = 'broadsheet_changes';

/**
 * Tells every Broadsheet server on this database what readers will see differently: the servers
 * expire those pages and re-read the schedule. Called after the change committed, by the editor's
 * actions and by the CLI (an import from a shell reaches running servers the same way). An empty
 * change still makes them re-read when scheduled posts come due.
 */
export async function notifyChange(change: Change): Promise<void> {
  // The primary's WAL position rides along: a server reading from a replica waits for it (db/replica.ts).
  await getDb().execute(
    sql`select pg_notify(${CHANGES_CHANNEL}, (${JSON.stringify(change)}::jsonb || jsonb_build_object('lsn', pg_current_wal_lsn()::text))::text)`,
  );
}
