import { sql } from 'drizzle-orm';
import { getDb, poolStats } from '@/db/client';
import type { MetricsSources } from './metrics';

/**
 * What the server's metrics read from the database layer: the pools' connections (no query) and
 * the job queue's depth — graphile-worker jobs a worker could take now (available: not locked,
 * attempts left; and due), counted over the queue's own partial index.
 */
export async function jobQueueDepth(): Promise<number> {
  const result = await getDb().execute<{ depth: number }>(
    sql`select count(*)::int as depth from graphile_worker._private_jobs where is_available and run_at <= now()`,
  );
  return result.rows[0]?.depth ?? 0;
}

export const databaseSources: MetricsSources = { pools: poolStats, queueDepth: jobQueueDepth };
