/** Integration-test helpers for the job queue: run what is due now, in this process, as a worker would. */
import { sql } from 'drizzle-orm';
import { Logger, runOnce } from 'graphile-worker';
import { getDb } from '@/db/client';
import { taskList } from '@/lib/jobs/tasks';

const quiet = new Logger(() => (level, message) => {
  if (level === 'error') console.error(`[jobs] ${message}`);
});

/** Runs every job that is due (and those they add that are due), until none is left; failed jobs wait for their retry. */
export async function runDueJobs(): Promise<void> {
  await runOnce({ connectionString: process.env.DATABASE_URL!, taskList: taskList(), logger: quiet });
}

/** The jobs waiting in the queue: name, key, when, attempts, last error. */
export async function queuedJobs(): Promise<{ task: string; key: string | null; runAt: Date; attempts: number; lastError: string | null; payload: unknown }[]> {
  const { rows } = await getDb().execute<{ task: string; key: string | null; runAt: Date; attempts: number; lastError: string | null; payload: unknown }>(sql`
    select t.identifier as task, j.key, j.run_at as "runAt", j.attempts, j.last_error as "lastError", j.payload
      from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
     order by j.run_at, j.id`);
  return rows.map((row) => ({ ...row, runAt: new Date(row.runAt) }));
}
