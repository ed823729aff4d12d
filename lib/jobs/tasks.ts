import 'server-only';
import type { Task, TaskList } from 'graphile-worker';
import { runPasswordReset } from '@/lib/auth/password-reset-job';
import { runMemberConfirmation } from '@/lib/members/confirmation';
import { runPostLive } from '@/lib/posts/live';
import { runNewsletterSend } from '@/lib/newsletters/send';
import { runNewsletterSweep } from '@/lib/newsletters/sweep';
import { runWebhookDelivery } from '@/lib/webhooks/deliver';
import type { JobName } from './queue';

/**
 * Every job the worker runs, by name (lib/jobs/queue.ts adds them). A task that throws is retried
 * with backoff up to the job's max attempts; each task is idempotent, as a job may run again after
 * a worker died having done its work but before marking the job done.
 */
const task =
  <P>(run: (payload: P) => Promise<void>): Task =>
  async (payload) => {
    await run(payload as P);
  };

export const TASKS: Partial<Record<JobName, Task>> = {
  post_live: task(runPostLive),
  member_confirmation: task(runMemberConfirmation),
  password_reset: task(runPasswordReset),
  newsletter_send: task(runNewsletterSend),
  newsletter_sweep: task(runNewsletterSweep),
  // A Task itself: it reads its attempt number (helpers.job) to mark the last failure.
  webhook_deliver: runWebhookDelivery,
};

export const taskList = (): TaskList => TASKS as TaskList;
