import pg from 'pg';
import { processOrigin } from '@/lib/cache/global';
import { readHistory } from '@/lib/cache/history';
import type { Change, PageCache } from '@/lib/cache/page-cache';

/** Same name as lib/cache/notify.ts (which is server-only, so not imported here). */
const CHANNEL = 'broadsheet_changes';
/** The schedule is re-read at least this often, in case a notification was lost in transit. */
const SCHEDULE_POLL_MS = 30_000;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

export type Listener = {
  /** True while the LISTEN connection is up (GET /readyz, lib/server/health.ts). */
  readonly connected: boolean;
  stop(): Promise<void>;
};
type Log = (message: string) => void;

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/** A notification's payload: what changed, and the primary's WAL position after the change. */
export function parseNotification(payload: string | undefined): { change: Change; lsn: string | null; paths: string[]; origin: string | null } {
  try {
    const value = JSON.parse(payload ?? '{}') as Record<string, unknown>;
    return {
      change: {
        posts: Array.isArray(value.posts) ? value.posts.filter((slug): slug is string => typeof slug === 'string') : [],
        lists: value.lists === true,
        all: value.all === true,
      },
      lsn: typeof value.lsn === 'string' && LSN.test(value.lsn) ? value.lsn : null,
      paths: Array.isArray(value.paths) ? value.paths.filter((path): path is string => typeof path === 'string' && path.startsWith('/')).slice(0, 50) : [],
      origin: typeof value.origin === 'string' ? value.origin : null,
    };
  } catch {
    // Unreadable news is still news: forget everything rather than risk a stale page.
    return { change: { all: true }, lsn: null, paths: [], origin: null };
  }
}

/**
 * Keeps this process's page cache true to the database: LISTENs for changes announced by any
 * process (another server, the CLI), reads the publish times still to come, and reconnects on its
 * own. While disconnected the cache serves what it has (`databaseDown`); on reconnect it forgets
 * everything, because changes made meanwhile were not heard. On the first connection, once it
 * listens, it reads the change history (lib/cache/history.ts): the pages kept on disk by an earlier
 * process of this build are judged by it, and served from then on if nothing they show changed.
 */
export function startInvalidationListener(
  url: string,
  cache: PageCache,
  {
    log = console.log,
    onChange,
    onExpired,
  }: {
    log?: Log;
    onChange?: (lsn: string | null) => void;
    /** After a change has been applied (and the replica told): the pages to render again (lib/server/warm.ts). */
    onExpired?: (change: Change, paths: string[]) => void;
  } = {},
): Listener {
  let client: pg.Client | null = null;
  let stopped = false;
  let retryMs = RETRY_MIN_MS;
  let everConnected = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let listening = false;

  async function readSchedule(): Promise<void> {
    if (!client) return;
    const { rows } = await client.query<{ due: number }>(
      `select (extract(epoch from publish_at) * 1000)::float8 as due from posts
        where status in ('scheduled', 'published') and publish_at > now() order by publish_at limit 1000`,
    );
    cache.setDueTimes(rows.map((row) => row.due));
  }

  function lost(reason: string): void {
    if (stopped || !client) return;
    const dead = client;
    client = null;
    listening = false;
    cache.databaseDown = true;
    dead.removeAllListeners();
    dead.on('error', () => {});
    void dead.end().catch(() => {});
    log(`[cache] lost the database (${reason}); serving cached pages until it is back`);
    schedule();
  }

  function schedule(): void {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000, keepAlive: true });
    next.on('error', (error) => lost(error.message));
    next.on('end', () => lost('connection closed'));
    next.on('notification', (message) => {
      if (message.channel !== CHANNEL) return;
      const { change, lsn, paths, origin } = parseNotification(message.payload);
      // A change this process announced was applied (and its pages queued for warming) before it was
      // sent, after its commit: expiring again now would throw away the renders begun since.
      const own = origin === processOrigin();
      if (!own) cache.expire(change);
      onChange?.(lsn);
      if (!own) onExpired?.(change, paths);
      void readSchedule().catch((error: Error) => lost(error.message));
    });
    try {
      client = next;
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      listening = client === next;
      if (everConnected) {
        cache.expire({ all: true });
        log('[cache] database is back; cached pages from before are no longer trusted');
      } else if (!cache.trustsHistory) {
        // Without the history (a database not yet migrated, say) nothing from before the start is served.
        const history = await readHistory(next).catch((error: Error) => {
          log(`[cache] could not read the change history (${error.message}); pages kept from before the start are not used`);
          return null;
        });
        if (history && client === next) {
          cache.setDueTimes([], Date.now(), history.lastDue);
          cache.trustHistory(history.changes, history.horizon);
        }
      }
      everConnected = true;
      cache.databaseDown = false;
      retryMs = RETRY_MIN_MS;
      await readSchedule();
    } catch (error) {
      if (client === next) lost((error as Error).message);
    }
  }

  const poll = setInterval(() => {
    if (client) void readSchedule().catch((error: Error) => lost(error.message));
  }, SCHEDULE_POLL_MS);
  poll.unref();
  void connect();

  return {
    get connected() {
      return listening && client !== null;
    },
    async stop() {
      stopped = true;
      listening = false;
      clearInterval(poll);
      if (retryTimer) clearTimeout(retryTimer);
      const last = client;
      client = null;
      last?.removeAllListeners();
      last?.on('error', () => {});
      await last?.end().catch(() => {});
    },
  };
}
