import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { rateLimits } from '@/db/schema';
import type { Tx } from '@/lib/tags/mutations';

/**
 * One more hit on a fixed-window counter (rate_limits): the hits of the window this one falls in,
 * itself included. A window older than `windowMinutes` starts again at this hit. Kept in PostgreSQL
 * so the limit holds across restarts and instances; pass a transaction to count inside it.
 */
export async function countHit(key: string, windowMinutes: number, executor: Tx | ReturnType<typeof getDb> = getDb()): Promise<number> {
  const fresh = sql`${rateLimits.windowStartedAt} > now() - make_interval(mins => ${windowMinutes})`;
  const [row] = await executor
    .insert(rateLimits)
    .values({ key, hits: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${fresh} then ${rateLimits.hits} + 1 else 1 end`,
        windowStartedAt: sql`case when ${fresh} then ${rateLimits.windowStartedAt} else now() end`,
      },
    })
    .returning({ hits: rateLimits.hits });
  return row.hits;
}

/** The hits counted on `key` in its current window (0 once the window is over), without adding one. */
export async function hitsSoFar(key: string, windowMinutes: number): Promise<number> {
  const [row] = await getDb()
    .select({ hits: rateLimits.hits })
    .from(rateLimits)
    .where(sql`${rateLimits.key} = ${key} and ${rateLimits.windowStartedAt} > now() - make_interval(mins => ${windowMinutes})`);
  return row?.hits ?? 0;
}
