/**
 * Issue 15, target 5: publishing during a spike. 50 readers (autocannon, load.ts) on home, public
 * articles and /feed.xml for a while, and meanwhile one writer who publishes a new post every 2 s
 * through the editor's real server actions. After each publish returns, a poller of our own (not one
 * of the 50) reads its article, home and the feed every 50 ms until all three show it: that delay
 * is the publish's. Reported: the readers' requests, errors and latency, and the delays.
 */
import type { ActionClient } from './actions';
import { read, renders, scrape } from './cold';
import { fieldsFor } from './freshness';
import { open, stat } from 'node:fs/promises';
import { measure, rawHeader, type LoadResult, type PageTarget } from './load';
import { sampleMemory } from './memory';
import type { Rng } from './prng';
import { weightedPaths } from './reader-mix';
import type { ServerHandle } from './server';
import { quantile, summariseDelays, visibleAfter, type Delay, type DelaySummary } from './stats';

/** Completed responses of one kind: how many, and their latency. */
export type LoadGroup = { requests: number; p50Ms: number; p99Ms: number };

export type PublishTiming = {
  slug: string | null;
  /** When the publish was asked for, in ms after the readers started. */
  atMs: number;
  actionMs: number;
  /** After the action returned: when each page first showed the post, and all three did. */
  article: Delay;
  home: Delay;
  feed: Delay;
  visibleMs: Delay;
  error?: string;
};

export type SpikeReport = {
  readers: number;
  durationS: number;
  mix: string;
  publishIntervalMs: number;
  pollIntervalMs: number;
  /** The poller gives up after this; such a publish counts as not visible. */
  pollTimeoutMs: number;
  load: LoadResult;
  /**
   * The readers' responses (latency as the readers measured it) by how the server answered each,
   * from its log line (`cache`, joined by X-Request-Id): `cached` from the replay cache or the page
   * cache, `waited` replayed after waiting for another reader's render of the page (collapsed),
   * `rendered` for this request (an article nobody had read since the restart), `unknown` no line
   * (a request cut off when the readers stopped).
   */
  answered: Record<Answered, LoadGroup | null>;
  /** Publishes due while the readers ran; the writer waits for each action, so it may make fewer. */
  plannedPublishes: number;
  publishes: PublishTiming[];
  failedPublishes: number;
  visibility: DelaySummary;
  /**
   * The server's event loop over the row, from its /metrics (prom-client's defaults): the delay
   * timers met (p99 and max, the histogram reset by the scrape before the row) and the time spent
   * collecting garbage, by kind; null if it stopped answering.
   */
  eventLoop: LoopFigures | null;
  /** Renders the server counted during the row (broadsheet_renders_total); null if it stopped answering. */
  renders: number | null;
  peakRssMb: number | null;
  targets: { errors: number; p99Ms: number; visibleMs: number };
};

export type SpikeContext = {
  server: ServerHandle;
  actions: ActionClient;
  /** Public articles the readers pick from. */
  slugs: readonly string[];
  rng: Rng;
  durationS: number;
  metricsToken: string;
  log: (line: string) => void;
};

const READERS = 50;
const PUBLISH_EVERY_MS = 2_000;
/** The first publish comes once the readers are at full load. */
const FIRST_PUBLISH_MS = 1_000;
const POLL_MS = 50;
const POLL_TIMEOUT_MS = 10_000;
const TARGETS = { errors: 0, p99Ms: 100, visibleMs: 1_000 };

export type LoopFigures = { delayP99Ms: number; delayMaxMs: number; gc: Record<string, { count: number; ms: number }> };

/** One sample of a metric without labels, or with exactly `labels`, from Prometheus text. */
function sample(text: string, name: string, labels = ''): number | null {
  const line = text.split('\n').find((row) => row.startsWith(`${name}${labels} `));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const GC_KINDS = ['major', 'minor', 'incremental'] as const;

/** Collections so far by kind: count and seconds (cumulative). */
function gcTotals(text: string): Record<string, { count: number; seconds: number }> {
  return Object.fromEntries(
    GC_KINDS.map((kind) => [
      kind,
      {
        count: sample(text, 'nodejs_gc_duration_seconds_count', `{kind="${kind}"}`) ?? 0,
        seconds: sample(text, 'nodejs_gc_duration_seconds_sum', `{kind="${kind}"}`) ?? 0,
      },
    ]),
  );
}

/** The event loop between two scrapes of /metrics: `before` (whose scrape reset the delay histogram) and `after`. */
export function loopBetween(before: string, after: string): LoopFigures {
  const [gcBefore, gcAfter] = [gcTotals(before), gcTotals(after)];
  const ms = (seconds: number | null) => Math.round((seconds ?? 0) * 10_000) / 10;
  return {
    delayP99Ms: ms(sample(after, 'nodejs_eventloop_lag_p99_seconds')),
    delayMaxMs: ms(sample(after, 'nodejs_eventloop_lag_max_seconds')),
    gc: Object.fromEntries(
      GC_KINDS.map((kind) => [kind, { count: gcAfter[kind].count - gcBefore[kind].count, ms: ms(gcAfter[kind].seconds - gcBefore[kind].seconds) }]),
    ),
  };
}

export type Answered = 'cached' | 'waited' | 'rendered' | 'unknown';

/** How the server answered, from the `cache` of its log line (lib/observe/outcome.ts). */
export function answeredAs(cache: unknown): Answered {
  if (cache === 'hit' || cache === 'replay') return 'cached';
  if (cache === 'collapsed') return 'waited';
  if (cache === 'miss') return 'rendered';
  return 'unknown';
}

/** The `cache` of each request line in `log` (the server's JSON lines), by request id. */
export function outcomesInLog(log: string): Map<string, unknown> {
  const outcomes = new Map<string, unknown>();
  for (const text of log.split('\n')) {
    if (!text.includes('"reqId"')) continue;
    try {
      const line = JSON.parse(text) as { reqId?: unknown; msg?: unknown; cache?: unknown };
      if (typeof line.reqId === 'string' && line.msg === 'request') outcomes.set(line.reqId, line.cache ?? null);
    } catch {
      // Not a JSON line (a child's output): skipped.
    }
  }
  return outcomes;
}

/** Latencies grouped by how each request was answered. */
export function groupAnswers(latencies: readonly [string | undefined, number][], outcomes: Map<string, unknown>): Record<Answered, LoadGroup | null> {
  const groups: Record<Answered, number[]> = { cached: [], waited: [], rendered: [], unknown: [] };
  for (const [id, ms] of latencies) groups[answeredAs(id === undefined ? undefined : outcomes.get(id))].push(ms);
  const summary = (values: number[]): LoadGroup | null =>
    values.length === 0 ? null : { requests: values.length, p50Ms: quantile(values, 0.5), p99Ms: quantile(values, 0.99) };
  return { cached: summary(groups.cached), waited: summary(groups.waited), rendered: summary(groups.rendered), unknown: summary(groups.unknown) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The readers' pages in the proportions bench/lib/reader-mix.ts gives them (articles 55, home 15, feed 5). */
export function spikeMix(slugs: readonly string[], rng: Rng): PageTarget {
  const weighted: [number, () => string][] = [
    [55, () => `/posts/${encodeURIComponent(rng.pick(slugs))}`],
    [15, () => '/'],
    [5, () => '/feed.xml'],
  ];
  return { name: 'spike readers', path: weightedPaths(weighted, rng), example: `articles 73% (one of ${slugs.length} public), home 20%, /feed.xml 7%` };
}

/** When each publish is due, in ms after the readers start: every 2 s, the last one 2 s before they stop. */
export function publishTimes(durationMs: number, everyMs = PUBLISH_EVERY_MS, firstMs = FIRST_PUBLISH_MS): number[] {
  const times: number[] = [];
  for (let at = firstMs; at <= durationMs - everyMs; at += everyMs) times.push(at);
  return times;
}

/** Reads `path` every POLL_MS until `shows` holds: ms after `since`, or null at the deadline. */
async function firstSeen(baseUrl: string, path: string, shows: (status: number, body: string) => boolean, since: number): Promise<Delay> {
  while (performance.now() - since < POLL_TIMEOUT_MS) {
    const answer = await read(baseUrl, path).catch(() => null);
    if (answer && shows(answer.status, answer.body)) return Math.round(performance.now() - since);
    await sleep(POLL_MS);
  }
  return null;
}

type EditorPost = { id: string; version: number; slug: string };
type Result = { ok: true; data: EditorPost } | { ok: false; error: string };

/** Creates and publishes one post; resolves, once all three pages show it (or the poller gives up), with its timing. */
async function publishOne(ctx: SpikeContext, run: string, i: number, atMs: number): Promise<{ published: Promise<PublishTiming> }> {
  const failed = (error: string, actionMs = 0): PublishTiming => ({ slug: null, atMs, actionMs, article: null, home: null, feed: null, visibleMs: null, error });
  const started = performance.now();
  try {
    const created = await ctx.actions.call('createPostAction', '/editor/posts/new', [null]);
    const id = created.redirect?.split('/').pop();
    if (!id) return { published: Promise.resolve(failed(`createPostAction did not open a new post (HTTP ${created.status})`)) };
    const marker = `spike-${run}-${i}`;
    const answer = await ctx.actions.call<Result>('publishPostAction', `/editor/posts/${id}`, [
      { id, baseVersion: 1, fields: { ...fieldsFor(`Spike probe ${run} ${i}`, marker), tags: ['Spike probe'] } },
    ]);
    const actionMs = Math.round(performance.now() - started);
    if (!answer.result?.ok) return { published: Promise.resolve(failed(`publishPostAction: HTTP ${answer.status}`, actionMs)) };
    const slug = answer.result.data.slug;
    const link = `/posts/${slug}`;
    const since = performance.now();
    const base = ctx.server.baseUrl;
    const published = Promise.all([
      firstSeen(base, link, (status, body) => status === 200 && body.includes(marker), since),
      firstSeen(base, '/', (status, body) => status === 200 && body.includes(link), since),
      firstSeen(base, '/feed.xml', (status, body) => status === 200 && body.includes(link), since),
    ]).then(([article, home, feed]) => ({ slug, atMs, actionMs, article, home, feed, visibleMs: visibleAfter([article, home, feed]) }));
    return { published };
  } catch (error) {
    return { published: Promise.resolve(failed((error as Error).message, Math.round(performance.now() - started))) };
  }
}

/** The request outcomes in the server's log after byte `from`, once its last lines are written. */
async function outcomesSince(logFile: string, from: number): Promise<Map<string, unknown>> {
  await sleep(200); // the log is written asynchronously (pino); the readers' last lines follow their responses
  const handle = await open(logFile, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.alloc(Math.max(0, size - from));
    await handle.read(bytes, 0, bytes.length, from);
    return outcomesInLog(bytes.toString('utf8'));
  } finally {
    await handle.close();
  }
}

export async function measureSpike(ctx: SpikeContext): Promise<SpikeReport> {
  const base = ctx.server.baseUrl;
  const durationMs = ctx.durationS * 1000;
  const times = publishTimes(durationMs);
  const target = spikeMix(ctx.slugs, ctx.rng);
  ctx.log(`[bench] spike: ${READERS} readers for ${ctx.durationS} s, a publish every ${PUBLISH_EVERY_MS / 1000} s (${times.length})`);
  const memory = sampleMemory([ctx.server.pgid]);
  const rendersBefore = await renders(base, ctx.metricsToken);
  const metricsText = () =>
    scrape(base, ctx.metricsToken)
      .then((scraped) => ('text' in scraped ? scraped.text : null))
      .catch(() => null);
  const loopBefore = await metricsText();
  // The server may not survive the spike (an old space too small): its count is then unknown.
  const rendersAfter = () => renders(base, ctx.metricsToken).catch(() => null);
  const run = Date.now().toString(36);
  // Each reader's request id and latency, joined after the row with the server's log lines.
  const latencies: [string | undefined, number][] = [];
  const logFrom = (await stat(ctx.server.logFile)).size;
  const readers = measure(base, target, { connections: READERS, durationS: ctx.durationS }, (headers, ms) =>
    latencies.push([rawHeader(headers, 'x-request-id'), ms]),
  );
  const started = performance.now();
  const watching: Promise<PublishTiming>[] = [];
  // One writer: a publish is asked for when it is due, or when the previous one returned if later,
  // and only while the readers run (a publish after them would not be during the spike).
  for (const [i, at] of times.entries()) {
    const wait = at - (performance.now() - started);
    if (wait > 0) await sleep(wait);
    const atMs = Math.round(performance.now() - started);
    if (atMs >= durationMs) break;
    watching.push((await publishOne(ctx, run, i, atMs)).published);
  }
  const [load, publishes] = await Promise.all([readers, Promise.all(watching)]);
  const loopAfter = await metricsText();
  const peakRssMb = memory.stop().peakMb;
  const failedPublishes = publishes.filter((publish) => publish.error).length;
  return {
    readers: READERS,
    durationS: ctx.durationS,
    mix: target.example,
    publishIntervalMs: PUBLISH_EVERY_MS,
    pollIntervalMs: POLL_MS,
    pollTimeoutMs: POLL_TIMEOUT_MS,
    load,
    answered: groupAnswers(latencies, await outcomesSince(ctx.server.logFile, logFrom)),
    plannedPublishes: times.length,
    publishes,
    failedPublishes,
    visibility: summariseDelays(
      publishes.map((publish) => publish.visibleMs),
      TARGETS.visibleMs,
    ),
    eventLoop: loopBefore && loopAfter ? loopBetween(loopBefore, loopAfter) : null,
    renders: await rendersAfter().then((after) => (after === null ? null : after - rendersBefore)),
    peakRssMb,
    targets: TARGETS,
  };
}
