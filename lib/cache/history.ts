import type { Change, DatedChange } from './page-cache';

/**
 * The change history in PostgreSQL (`page_changes`): what a starting server reads to judge the
 * pages it kept on disk before it stopped (lib/server/invalidation.ts calls `readHistory` once its
 * LISTEN connection is up, so no change falls between the two). Plain SQL over any pg client: the
 * server's listener has no drizzle and must not import server-only modules.
 */

/** How far back a starting server reads; anything kept from before is rendered again. */
export const HISTORY_HOURS = 24;
/** Rows older than this are removed as new ones come (lib/cache/notify.ts). */
export const HISTORY_KEPT_HOURS = 48;

type Queryable = { query<R extends object>(text: string): Promise<{ rows: R[] }> };

export type History = {
  changes: DatedChange[];
  /** Entries rendered before this (ms) are stale: the history does not reach further back. */
  horizon: number;
  /**
   * The latest publish time already passed of a post still `scheduled` (ms), or 0: a post that came
   * due while no server ran (coming due is announced to nobody). Every other change was announced.
   */
  lastDue: number;
};

/** One row's change, as notify.ts wrote it; anything unreadable means "everything". */
export function changeOfRow(value: unknown): Change {
  if (!value || typeof value !== 'object') return { all: true };
  const row = value as Record<string, unknown>;
  return {
    posts: Array.isArray(row.posts) ? row.posts.filter((slug): slug is string => typeof slug === 'string') : [],
    lists: row.lists === true,
    all: row.all === true,
  };
}

export async function readHistory(client: Queryable): Promise<History> {
  const [{ rows: changes }, { rows: bounds }] = await Promise.all([
    client.query<{ at: number; change: unknown }>(
      `select (extract(epoch from at) * 1000)::float8 as at, change from page_changes
        where at > now() - interval '${HISTORY_HOURS} hours' order by id`,
    ),
    client.query<{ horizon: number; last_due: number | null }>(
      `select (extract(epoch from now() - interval '${HISTORY_HOURS} hours') * 1000)::float8 as horizon,
              (select (extract(epoch from max(publish_at)) * 1000)::float8 from posts
                where status = 'scheduled' and publish_at <= now()) as last_due`,
    ),
  ]);
  return {
    changes: changes.map((row) => ({ ...changeOfRow(row.change), at: Number(row.at) })),
    horizon: Number(bounds[0].horizon),
    lastDue: Number(bounds[0].last_due ?? 0),
  };
}
