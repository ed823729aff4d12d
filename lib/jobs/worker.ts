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

/**
 * The worker for a long-running process (the server): started in the background, so the server
 * starts and serves cached pages even when the database cannot be reached yet, and started again
 * (every 5 s, one log line per failure) if it cannot start or stops on a fatal error.
 */
export function keepWorkerRunning(options: WorkerOptions): { stop: () => Promise<void> } {
  let stopping = false;
  let current: Runner | null = null;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, ms).unref();
    });
  const loop = (async () => {
    while (!stopping) {
      try {
        current = await startWorker(options);
        await current.promise;
      } catch (error) {
        if (!stopping) console.error(`[worker] ${(error as Error).message}; starting again in 5 s`);
      }
      current = null;
      if (!stopping) await pause(5_000);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      (wake as (() => void) | null)?.();
      await current?.stop().catch(() => undefined);
      await loop;
    },
  };
}
