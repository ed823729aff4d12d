import 'server-only';
import { sql } from 'drizzle-orm';
import type { Tx } from '@/lib/tags/mutations';

/**
 * The job queue is graphile-worker's, in the `graphile_worker` schema of our database (installed by
 * the migrations, scripts/lib/migrate.ts). Jobs are added by SQL in the caller's transaction: a
 * publish and the job that sends its email commit together or not at all. Tasks: ./tasks.ts.
 */
export type JobName = 'post_live' | 'newsletter_send' | 'newsletter_sweep' | 'webhook_deliver' | 'member_confirmation' | 'password_reset';

export type JobOptions = {
  /** Not before this moment (default: now). */
  runAt?: Date;
  /**
   * One waiting job per key: adding a job with the key of a waiting one replaces it (its payload and
   * time), so rescheduling a post moves its job rather than adding a second.
   */
  jobKey?: string;
  /** Attempts before the job is given up (graphile-worker's backoff: exp(min(attempt, 10)) seconds). */
  maxAttempts?: number;
};

/** Any drizzle database or transaction: the job commits with whatever else it is given. */
type Executor = Pick<Tx, 'execute'>;

export async function addJob(db: Executor, name: JobName, payload: Record<string, unknown>, options: JobOptions = {}): Promise<void> {
  await db.execute(
    sql`select graphile_worker.add_job(${name}, ${JSON.stringify(payload)}::json, run_at => ${options.runAt ?? null}::timestamptz, job_key => ${options.jobKey ?? null}::text, max_attempts => ${options.maxAttempts ?? null}::int)`,
  );
}

/** Removes the waiting job with this key (a running one finishes; its task must check it is still wanted). */
export async function removeJob(db: Executor, jobKey: string): Promise<void> {
  await db.execute(sql`select graphile_worker.remove_job(${jobKey})`);
}
