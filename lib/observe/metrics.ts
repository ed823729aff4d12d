import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import client from 'prom-client';
import { ROUTE_KINDS, type RouteKind } from './route-kind';

/**
 * The server's metrics, in Prometheus's text format at `/metrics` (scripts/serve.ts answers it
 * before Next.js, so it is never cached), behind `METRICS_TOKEN`:
 * - `broadsheet_http_request_duration_seconds{kind,status}`: every response, by route kind
 *   (lib/observe/route-kind.ts) and status class;
 * - `broadsheet_page_cache_lookups_total{tier}`: where a cached page came from (memory, disk,
 *   redis: lib/cache/page-cache.ts; replay: lib/server/replay.ts) or `miss`;
 * - `broadsheet_renders_total{kind}`: pages and flight data Next.js rendered (not from the cache);
 * - `broadsheet_db_pool_connections{pool,state}`: the pg pools' connections (db/client.ts);
 * - `broadsheet_job_queue_depth`: jobs waiting for a worker (due, not locked);
 * - `broadsheet_render_gate_requests{state}`: renders of reader pages with their turn (`active`)
 *   and waiting for it (`waiting`, lib/server/render-gate.ts);
 * - `broadsheet_warm_pages{state}`: pages a change made stale that the server is rendering again
 *   (`warming`) or has yet to (`queued`, lib/server/warm.ts);
 * - Node's own (`process_*`, `nodejs_*`).
 */

export const CACHE_TIERS = ['memory', 'disk', 'redis', 'replay', 'miss'] as const;
export type CacheTier = (typeof CACHE_TIERS)[number];

export type PoolStats = { pool: string; total: number; idle: number; waiting: number };

export type MetricsSources = {
  /** The database pools open now. */
  pools?: () => PoolStats[];
  /** Jobs due and not taken by a worker; asked at most every `queueDepthMaxAgeMs`. */
  queueDepth?: () => Promise<number>;
  queueDepthMaxAgeMs?: number;
  /** The render gate, when the server has one. */
  renderGate?: { readonly active: number; readonly waiting: number };
  /** The pages being warmed after a change, and those waiting to be. */
  warm?: () => { warming: number; queued: number };
};

export type Metrics = ReturnType<typeof createMetrics>;

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

export function createMetrics(sources: MetricsSources = {}) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const requestDuration = new client.Histogram({
    name: 'broadsheet_http_request_duration_seconds',
    help: 'Time from a request arriving to its response finishing, by route kind and status class.',
    labelNames: ['kind', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const cacheLookups = new client.Counter({
    name: 'broadsheet_page_cache_lookups_total',
    help: 'Cached page lookups by the tier that answered (memory, disk, redis, replay) or miss.',
    labelNames: ['tier'] as const,
    registers: [registry],
  });
  const renders = new client.Counter({
    name: 'broadsheet_renders_total',
    help: 'Pages and flight responses Next.js rendered rather than served from the page cache, by route kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: 'broadsheet_db_pool_connections',
    help: 'Database pool connections: total open, idle, and requests waiting for one.',
    labelNames: ['pool', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const stats of sources.pools?.() ?? []) {
        this.set({ pool: stats.pool, state: 'total' }, stats.total);
        this.set({ pool: stats.pool, state: 'idle' }, stats.idle);
        this.set({ pool: stats.pool, state: 'waiting' }, stats.waiting);
      }
    },
  });

  /** A gauge of a few states (label `state`), read when /metrics is. */
  const stateGauge = (name: string, help: string, read: () => Record<string, number>) =>
    new client.Gauge({
      name,
      help,
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        for (const [state, value] of Object.entries(read())) this.set({ state }, value);
      },
    });
  const gate = sources.renderGate;
  if (gate) {
    stateGauge('broadsheet_render_gate_requests', 'Renders of reader pages with their turn now (active) and waiting for it (waiting).', () => ({
      active: gate.active,
      waiting: gate.waiting,
    }));
  }
  const warm = sources.warm;
  if (warm) stateGauge('broadsheet_warm_pages', 'Pages a change made stale, being rendered again (warming) or waiting to be (queued).', warm);

  // Scrapes (and several Prometheus servers) must not each cost a query: the depth is kept briefly.
  const maxAge = sources.queueDepthMaxAgeMs ?? 5_000;
  let depth: { value: number; at: number } | null = null;
  let asking: Promise<void> | null = null;
  const refreshDepth = () =>
    (asking ??= sources.queueDepth!()
      .then((value) => void (depth = { value, at: Date.now() }))
      // The database is down: the last known depth stands (or none), the scrape still answers.
      .catch(() => {})
      .finally(() => (asking = null)));
  if (sources.queueDepth) {
    new client.Gauge({
      name: 'broadsheet_job_queue_depth',
      help: 'Jobs due to run and not taken by a worker (graphile-worker), measured at most every few seconds.',
      registers: [registry],
      async collect() {
        if (!depth || Date.now() - depth.at >= maxAge) await refreshDepth();
        if (depth) this.set(depth.value);
      },
    });
  }

  // Every series exists from the start, at zero: a rate over a counter that appears later misleads.
  for (const tier of CACHE_TIERS) cacheLookups.labels(tier).inc(0);
  for (const kind of ROUTE_KINDS) renders.labels(kind).inc(0);

  return {
    registry,
    request(kind: RouteKind, status: number, seconds: number): void {
      requestDuration.observe({ kind, status: STATUS_CLASSES[Math.floor(status / 100) - 1] ?? 'other' }, seconds);
    },
    cacheLookup(tier: CacheTier): void {
      cacheLookups.inc({ tier });
    },
    render(kind: RouteKind): void {
      renders.inc({ kind });
    },
  };
}

/** Equal tokens, compared in constant time (both hashed first, so their lengths leak nothing either). */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Answers `/metrics`: 404 when no `METRICS_TOKEN` is configured (the endpoint does not exist),
 * 401 without `Authorization: Bearer <METRICS_TOKEN>`, else the registry's text.
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: Metrics, token: string | undefined): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const plain = (status: number, text: string) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
  };
  if (!token) return plain(404, 'Not Found');
  const header = req.headers.authorization ?? '';
  const given = /^Bearer[ \t]+(\S+)\s*$/i.exec(header)?.[1];
  if (given === undefined || !sameToken(given, token)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    return plain(401, 'Unauthorized: send Authorization: Bearer <METRICS_TOKEN>');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return plain(405, 'Method Not Allowed');
  }
  let body: string;
  try {
    body = await metrics.registry.metrics();
  } catch (error) {
    console.error(error);
    return plain(500, 'Internal Server Error');
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', metrics.registry.contentType);
  res.end(req.method === 'HEAD' ? undefined : body);
}
