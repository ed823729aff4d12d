/**
 * The production server: Next.js behind a thin layer of our own (lib/server/respond.ts: CSP,
 * compression, cache headers, the 503 page), with the page cache (lib/cache/page-cache.ts)
 * installed and kept true to the database by a LISTEN connection (lib/server/invalidation.ts).
 * `npm start` runs it; so do the end-to-end tests and the benchmark. Env: PORT, HOSTNAME,
 * DATABASE_URL, SITE_URL, AUTH_SECRET, REDIS_URL, PAGE_CACHE_MEMORY_MB, PAGE_CACHE_DISK_MB, RUN_WORKER
 * (the job worker, lib/jobs/worker.ts, runs here unless it is false).
 */
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { installPageCache } from '../lib/cache/global';
import { PageCache } from '../lib/cache/page-cache';
import { parseEnv } from '../lib/env';
import { keepWorkerRunning } from '../lib/jobs/worker';
import { NEWSLETTER_CRONTAB, queueNewsletterSweep } from '../lib/newsletters/sweep';
import { startInvalidationListener } from '../lib/server/invalidation';
import { connectRedisTier } from '../lib/server/redis-tier';
import { watchReplica } from '../lib/server/replica-watch';
import { ReplayCache } from '../lib/server/replay';
import { createResponder } from '../lib/server/respond';

const env = parseEnv(process.env);
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';
// Every launcher starts the server from the project's root (scripts/lib/serve-command.ts).
const dir = process.cwd();
const distDir = process.env.NEXT_DIST_DIR || '.next';

const MB = 1024 * 1024;
const cache = new PageCache({
  memoryBytes: env.PAGE_CACHE_MEMORY_MB * MB,
  diskBytes: env.PAGE_CACHE_DISK_MB * MB,
  diskDir: path.join(dir, distDir, 'cache', 'broadsheet-pages', String(port)),
});
const redis = env.REDIS_URL ? connectRedisTier(env.REDIS_URL) : null;
cache.setRemote(redis);
installPageCache(cache);
const replica = env.DATABASE_READ_URL ? watchReplica(env.DATABASE_URL, env.DATABASE_READ_URL) : null;
const listener = startInvalidationListener(env.DATABASE_URL, cache, { onChange: (lsn) => replica?.onChange(lsn) });

const app = next({ dev: false, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const respond = createResponder((req, res) => handle(req, res), {
  https: env.SITE_URL.startsWith('https:'),
  replay: env.REPLAY_CACHE_MB > 0 ? new ReplayCache(env.REPLAY_CACHE_MB * MB, (entry, now) => cache.isServable(entry, now)) : undefined,
  databaseDown: () => cache.databaseDown,
  // The reader's 404 page as a document of its own (app/(site)/%5Fbroadsheet/not-found), rendered
  // fully on the server and cached like any reader page.
  notFoundPage: async () => {
    const response = await fetch(`http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${port}/_broadsheet/not-found`, { headers: { 'accept-encoding': 'identity' } });
    return response.ok ? Buffer.from(await response.arrayBuffer()) : null;
  },
});

// The job worker (newsletters, webhooks, scheduled posts' sends) in this process, unless it runs apart.
const worker = env.RUN_WORKER ? keepWorkerRunning({ connectionString: env.DATABASE_URL, concurrency: env.WORKER_CONCURRENCY, crontab: NEWSLETTER_CRONTAB }) : null;
// Sends a killed worker left are taken over now (else at the crontab's next minute, as when the database is down now).
if (worker) queueNewsletterSweep().catch(() => {});

const server = createServer((req, res) => void respond(req, res));
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => console.log(`[serve] ready on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`));

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  console.log(`[serve] ${signal}: closing`);
  // Whatever hangs (a connection that never ends), Ctrl-C must leave no process behind.
  setTimeout(() => process.exit(0), 3_000).unref();
  server.close();
  server.closeIdleConnections();
  await listener.stop();
  await worker?.stop().catch(() => {});
  await redis?.close();
  await replica?.stop();
  await app.close().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
