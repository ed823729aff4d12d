/**
 * `npm run worker`: the job worker alone (newsletters, webhooks, scheduled posts' sends), for
 * deployments that run it apart from the web servers (set RUN_WORKER=false on those). Any number
 * may run, on any number of machines. Ctrl-C or SIGTERM: running jobs finish, then it exits.
 */
import { closeDb } from '@/db/client';
import { env, EnvError } from '@/lib/env';
import { closeMail } from '@/lib/mail/transport';
import { startWorker } from '@/lib/jobs/worker';
import { NEWSLETTER_CRONTAB, queueNewsletterSweep } from '@/lib/newsletters/sweep';

let settings;
try {
  settings = env();
} catch (error) {
  console.error(error instanceof EnvError ? error.message : String(error));
  process.exit(1);
}
const worker = await startWorker({ connectionString: settings.DATABASE_URL, concurrency: settings.WORKER_CONCURRENCY, crontab: NEWSLETTER_CRONTAB });
// Sends a killed worker left are taken over now rather than at the crontab's next minute.
await queueNewsletterSweep();
console.log(`[worker] running (${settings.WORKER_CONCURRENCY} at a time); Ctrl-C to stop`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`[worker] ${signal}: finishing running jobs`);
  setTimeout(() => process.exit(0), 10_000).unref();
  await worker.stop().catch(() => undefined);
  closeMail();
  await closeDb();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
