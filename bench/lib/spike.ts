/**
 * Issue 15, target 5: publishing during a spike. 50 readers (autocannon, load.ts) on home, public
 * articles and /feed.xml for a while, and meanwhile one writer who publishes a new post every 2 s
 * through the editor's real server actions. After each publish returns, a poller of our own (not one
 * of the 50) reads its article, home and the feed every 50 ms until all three show it: that delay
 * is the publish's. Reported: the readers' requests, errors and latency, and the delays.
 */
import type { ActionClient } from './actions';
import { read, renders } from './cold';
import { fieldsFor } from './freshness';
import { measure, type LoadResult, type PageTarget } from './load';
import { sampleMemory } from './memory';
import type { Rng } from './prng';
import { weightedPaths } from './reader-mix';
import type { ServerHandle } from './server';
import { summariseDelays, visibleAfter, type Delay, type DelaySummary } from './stats';

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
  /** Publishes due while the readers ran; the writer waits for each action, so it may make fewer. */
  plannedPublishes: number;
  publishes: PublishTiming[];
  failedPublishes: number;
  visibility: DelaySummary;
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

export async function measureSpike(ctx: SpikeContext): Promise<SpikeReport> {
  const base = ctx.server.baseUrl;
  const durationMs = ctx.durationS * 1000;
  const times = publishTimes(durationMs);
  const target = spikeMix(ctx.slugs, ctx.rng);
  ctx.log(`[bench] spike: ${READERS} readers for ${ctx.durationS} s, a publish every ${PUBLISH_EVERY_MS / 1000} s (${times.length})`);
  const memory = sampleMemory([ctx.server.pgid]);
  const rendersBefore = await renders(base, ctx.metricsToken);
  // The server may not survive the spike (an old space too small): its count is then unknown.
  const rendersAfter = () => renders(base, ctx.metricsToken).catch(() => null);
  const run = Date.now().toString(36);
  const readers = measure(base, target, { connections: READERS, durationS: ctx.durationS });
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
    plannedPublishes: times.length,
    publishes,
    failedPublishes,
    visibility: summariseDelays(
      publishes.map((publish) => publish.visibleMs),
      TARGETS.visibleMs,
    ),
    renders: await rendersAfter().then((after) => (after === null ? null : after - rendersBefore)),
    peakRssMb,
    targets: TARGETS,
  };
}
