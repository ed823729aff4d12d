import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { processOrigin } from './global';
import { HISTORY_KEPT_HOURS } from './history';
import type { Change } from './page-cache';

/** The PostgreSQL channel every server process listens on (lib/server/invalidation.ts). */
export const CHANGES_CHANNEL = 'broadsheet_changes';
/** Paths named in one notification at most (NOTIFY payloads are limited to 8,000 bytes). */
const MAX_PATHS = 40;
const MAX_MESSAGE = 6_000;

/**
 * Tells every Broadsheet server on this database what readers will see differently: the servers
 * expire those pages and re-read the schedule. Called after the change committed, by the editor's
 * actions and by the CLI (an import from a shell reaches running servers the same way). An empty
 * change still makes them re-read when scheduled posts come due. `paths`: the public pages the
 * change affects, which every server renders again at once (lib/server/warm.ts).
 *
 * A change that touches pages is also written to `page_changes` in the same statement (so the row
 * and the notification commit together): a server that starts later reads it there to judge the
 * pages it kept on disk (lib/cache/history.ts).
 */
export async function notifyChange(change: Change, paths: string[] = []): Promise<void> {
  const payload = JSON.stringify(change);
  // The public paths ride along too, for the servers to render again (lib/server/warm.ts), and who
  // sent it: this process applied the change already (lib/cache/revalidate.ts).
  const full = JSON.stringify({ ...change, paths: paths.slice(0, MAX_PATHS), origin: processOrigin() });
  // NOTIFY payloads end at 8,000 bytes: without the paths, the servers still warm home and the feeds.
  const message = full.length < MAX_MESSAGE ? full : JSON.stringify({ ...change, origin: processOrigin() });
  // The primary's WAL position rides along: a server reading from a replica waits for it (db/replica.ts).
  const notify = sql`select pg_notify(${CHANGES_CHANNEL}, (${message}::jsonb || jsonb_build_object('lsn', pg_current_wal_lsn()::text))::text)`;
  const touchesPages = change.all === true || change.lists === true || (change.posts?.length ?? 0) > 0;
  if (!touchesPages) {
    await getDb().execute(notify);
    return;
  }
  await getDb().execute(sql`with recorded as (insert into page_changes (change) values (${payload}::jsonb) returning id),
    pruned as (delete from page_changes where at < now() - make_interval(hours => ${HISTORY_KEPT_HOURS}) returning id)
    ${notify}`);
}
