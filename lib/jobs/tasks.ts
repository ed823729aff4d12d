import 'server-only';
import type { Task, TaskList } from 'graphile-worker';
import { runPostLive } from '@/lib/posts/live';
import type { JobName } from './queue';

/**
 * Every job the worker runs, by name (lib/jobs/queue.ts adds them). A task that throws is retried
 * with backoff up to the job's max attempts; each task is idempotent, as a job may run again after
 * a worker died having done its work but before marking the job done.
 */
const task =
  <P,>(run: (payload: P) => Promise<void>): Task =>
  async (payload) => {
    await run(payload as P);
  };

export const TASKS: Partial<Record<JobName, Task>> = {
  post_live: task(runPostLive),
};

export const taskList = (): TaskList => TASKS as TaskList;
