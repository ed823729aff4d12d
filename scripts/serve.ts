/**
 * The production server: Next.js behind a thin layer of our own (lib/server/respond.ts: CSP,
 * compression, cache headers, the 503 page), with the page cache (lib/cache/page-cache.ts)
 * installed and kept true to the database by a LISTEN connection (lib/server/invalidation.ts).
 * `npm start` runs it; so do the end-to-end tests and the benchmark. Env: PORT, HOSTNAME,
 * DATABASE_URL, SITE_URL, AUTH_SECRET, REDIS_URL, PAGE_CACHE_MEMORY_MB, PAGE_CACHE_DISK_MB, RUN_WORKER
 * (the job worker, lib/jobs/worker.ts, runs here unless it is false).
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { installPageCache, installWarmer } from '../lib/cache/global';
import { PageCache } from '../lib/cache/page-cache';
import { parseEnv } from '../lib/env';
import { keepWorkerRunning } from '../lib/jobs/worker';
import { NEWSLETTER_CRONTAB, queueNewsletterSweep } from '../lib/newsletters/sweep';
import { observeRequests } from '../lib/observe/http';
import { createLogger, routeConsoleTo } from '../lib/observe/logger';
import { createMetrics, serveMetrics } from '../lib/observe/metrics';
import { loggablePath, pathOf, routeKind } from '../lib/observe/route-kind';
import { databaseSources } from '../lib/observe/sources';
import { createHealth, HEALTH_PATH, READY_PATH } from '../lib/server/health';
import { startInvalidationListener } from '../lib/server/invalidation';
import { Collapser } from '../lib/server/collapse';
import { connectRedisTier } from '../lib/server/redis-tier';
import { watchReplica } from '../lib/server/replica-watch';
import { RenderGate } from '../lib/server/render-gate';
import { ReplayCache } from '../lib/server/replay';
import { createResponder } from '../lib/server/respond';
import { closeDatabasePools, closeGracefully, SHUTDOWN_GRACE_MS } from '../lib/server/shutdown';
import { NEXT_CONTRACT, pathOfCacheKey } from '../lib/server/next-contract';
import { createReaderActivity } from '../lib/server/readers';
import { createWarmer, WARM_HEADER } from '../lib/server/warm';

// Node's own fetch, taken before Next.js patches the global one for its renders: the warmer's reads
// start inside a server action (lib/cache/revalidate.ts) and must not be treated as part of it.
const plainFetch = globalThis.fetch;
const env = parseEnv(process.env);
// The log (lib/observe/logger.ts): readable lines in a terminal, JSON lines otherwise, console output included.
const logger = createLogger({ level: env.LOG_LEVEL, pretty: Boolean(process.stdout.isTTY) || env.NODE_ENV !== 'production', file: env.LOG_FILE });
routeConsoleTo(logger);
// Reader requests take turns in Next.js (lib/server/render-gate.ts).
const gate = env.RENDER_CONCURRENCY > 0 ? new RenderGate(env.RENDER_CONCURRENCY) : undefined;
// The warmer is made below; the gauge asks it only when /metrics is read.
const metrics = createMetrics({ ...databaseSources, renderGate: gate, warm: () => ({ warming: warmer.warming, queued: warmer.queued }) });
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';
// Every launcher starts the server from the project's root (scripts/lib/serve-command.ts).
const dir = process.cwd();
const distDir = process.env.NEXT_DIST_DIR || '.next';

let closing = false;
const MB = 1024 * 1024;
// The cache's namespace is the build: pages kept on disk (and in Redis) survive a restart, never a
// new build, whose pages would pair with other assets. Other builds' pages are removed.
const buildId = readBuildId(path.join(dir, distDir));
const pagesDir = path.join(dir, distDir, 'cache', 'broadsheet-pages');
removeOtherBuilds(pagesDir, buildId);
const cache = new PageCache({
  memoryBytes: env.PAGE_CACHE_MEMORY_MB * MB,
  diskBytes: env.PAGE_CACHE_DISK_MB * MB,
  diskDir: path.join(pagesDir, buildId, String(port)),
});
cache.onLookup = (tier) => metrics.cacheLookup(tier);
// A render is counted where it is stored, once, however many requests waited for it.
cache.onStore = (key) => metrics.render(routeKind(pathOfCacheKey(key)));
const redis = env.REDIS_URL ? connectRedisTier(env.REDIS_URL, undefined, buildId) : null;
cache.setRemote(redis);
installPageCache(cache);
const replica = env.DATABASE_READ_URL ? watchReplica(env.DATABASE_URL, env.DATABASE_READ_URL) : null;
const origin = `http://${hostname === '0.0.0.0' || hostname === '::' ? '127.0.0.1' : hostname}:${port}`;
// Readers being answered or just arrived (lib/server/readers.ts): the warmer waits for them.
const readers = createReaderActivity();
// After a change, the pages it made stale are rendered again here, in the background (lib/server/warm.ts),
// when no reader is being answered (or after a short wait for that).
const warmer = createWarmer({
  fetchPage: async (page) => {
    const response = await plainFetch(`${origin}${page}`, { headers: { 'accept-encoding': 'br, gzip', [WARM_HEADER]: '1' }, redirect: 'manual' });
    return { status: response.status, body: await response.text() };
  },
  skip: () => cache.databaseDown || closing,
  busy: () => readers.busy(),
  log: (message) => logger.warn(message),
});
// This process's own changes (lib/cache/revalidate.ts announce) are warmed at once; others' when heard.
installWarmer((change, paths) => warmer.changed(change, paths));
const listener = startInvalidationListener(env.DATABASE_URL, cache, {
  onChange: (lsn) => replica?.onChange(lsn),
  onExpired: (change, paths) => warmer.changed(change, paths),
});
// /healthz and /readyz (lib/server/health.ts): answered below, before Next.js and the caches.
const health = createHealth({
  databaseUrl: env.DATABASE_URL,
  journalFile: path.join(dir, 'db', 'migrations', 'meta', '_journal.json'),
  listening: () => listener.connected,
  redis: redis ? () => redis.connected : null,
});

// Development mode (`npm run dev`: --dev or NODE_ENV=development): the same server around `next dev`'s
// compiler, so the responder, CSP, health and logs are what readers get.
const dev = process.argv.includes('--dev') || env.NODE_ENV === 'development';
const app = next({ dev, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
// Finished cached responses, answered without Next.js (lib/server/replay.ts): in memory, on disk
// beside the page cache's files of this build and port (not its names, so it leaves them alone).
const replay =
  env.REPLAY_CACHE_MB > 0
    ? new ReplayCache(env.REPLAY_CACHE_MB * MB, (entry, now) => cache.isServable(entry, now), {
        dir: path.join(pagesDir, buildId, String(port), 'replays'),
        maxBytes: env.REPLAY_CACHE_DISK_MB * MB,
      })
    : undefined;
// Shared with the other instances through Redis, as the page cache is: a page one instance has sent,
// the others send as it was.
replay?.setRemote(redis);
const respond = createResponder((req, res) => handle(req, res), {
  https: env.SITE_URL.startsWith('https:'),
  replay,
  collapse: new Collapser(),
  gate,
  urgent: (path) => warmer.pending(path),
  databaseDown: () => cache.databaseDown,
  onError: (error, req) => logger.error({ err: error, reqId: req.headers['x-request-id'], method: req.method, path: loggablePath(req.url) }, 'request failed'),
  // The reader's 404 page as a document of its own (app/(site)/%5Fbroadsheet/not-found), rendered
  // fully on the server and cached like any reader page.
  notFoundPage: async () => {
    const response = await fetch(`${origin}/_broadsheet/not-found`, {
      headers: { 'accept-encoding': 'identity' },
    });
    return response.ok ? Buffer.from(await response.arrayBuffer()) : null;
  },
});

// The job worker (newsletters, webhooks, scheduled posts' sends) in this process, unless it runs apart.
const worker = env.RUN_WORKER ? keepWorkerRunning({ connectionString: env.DATABASE_URL, concurrency: env.WORKER_CONCURRENCY, crontab: NEWSLETTER_CRONTAB }) : null;
// Sends a killed worker left are taken over now (else at the crontab's next minute, as when the database is down now).
if (worker) queueNewsletterSweep().catch(() => {});

// /metrics (METRICS_TOKEN) is answered here, before Next.js and the caches; every request is logged and measured.
const server = createServer(
  observeRequests(logger, metrics, (req, res) => {
    readers.arrived(req, res);
    const path = pathOf(req.url);
    if (path === HEALTH_PATH || path === READY_PATH) void health.serve(req, res);
    else void (path === '/metrics' ? serveMetrics(req, res, metrics, env.METRICS_TOKEN) : respond(req, res));
  }),
);
server.keepAliveTimeout = 65_000;
// Development mode: the hot-reload WebSocket (/_next/webpack-hmr) is Next's.
if (dev) server.on('upgrade', app.getUpgradeHandler());
server.listen(port, hostname, () => logger.info(`[serve] ready on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`));

async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info(`[serve] ${signal}: closing`);
  // Whatever hangs (a pool that never ends), no process is left behind.
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 5_000).unref();
  // No new connections; requests in flight finish (up to SHUTDOWN_GRACE_MS); then the pools close.
  const { forced } = await closeGracefully(server, { graceMs: SHUTDOWN_GRACE_MS });
  if (forced) logger.warn(`[serve] requests still running after ${SHUTDOWN_GRACE_MS / 1000} s were cut off`);
  // Responses being written to disk are kept whole for the next start.
  await replay?.settled();
  await listener.stop();
  await worker?.stop().catch(() => {});
  await redis?.close();
  await replica?.stop();
  await health.close();
  await app.close().catch(() => {});
  await closeDatabasePools();
  logger.info('[serve] closed');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

function readBuildId(dist: string): string {
  try {
    const id = readFileSync(path.join(dist, NEXT_CONTRACT.buildIdFile), 'utf8').trim();
    return /^[\w-]{1,64}$/.test(id) ? id : 'unknown';
  } catch {
    return 'development';
  }
}

function removeOtherBuilds(parent: string, keep: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) if (name !== keep) rmSync(path.join(parent, name), { recursive: true, force: true });
}
