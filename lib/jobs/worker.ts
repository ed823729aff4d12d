import 'server-only';
import { Logger, run, type LogFunctionFactory, type Runner } from 'graphile-worker';
import { taskList } from './tasks';

/** graphile-worker's log, quiet: warnings and errors only, one line each with our prefix. */
const logFactory: LogFunctionFactory = () => (level, message) => {
  if (level === 'error') console.error(`[worker] ${message}`);
  else if (level === 'warning') console.warn(`[worker] ${message}`);
};

export type WorkerOptions = {
  connectionString: string;
  concurrency: number;
  /** Recurring jobs, in graphile-worker's crontab format (lib/jobs/tasks.ts names them). */
  crontab?: string;
};

/**
 * The job worker: graphile-worker's runner on our database, picking jobs up at once (LISTEN) and
 * due ones within a second. Runs inside the server (scripts/serve.ts) unless RUN_WORKER=false, and
 * alone as `npm run worker` (scripts/worker.ts); any number of them may run at once.
 */
export async function startWorker(options: WorkerOptions): Promise<Runner> {
  return run({
    connectionString: options.connectionString,
    concurrency: options.concurrency,
    maxPoolSize: options.concurrency + 2,
    pollInterval: 1000,
    noHandleSignals: true,
    taskList: taskList(),
    crontab: options.crontab ?? '',
    logger: new Logger(logFactory),
  });
}
