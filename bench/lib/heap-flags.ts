/**
 * Issue 15, target 6: the render throughput the server's heap flags cost. Two more servers on the
 * same build and database, started fresh, one without SERVE_NODE_FLAGS and one with them, and the
 * run's own server (with them, its caches filled by the pages before) read articles nobody has read
 * yet, each once, 10 at a time, as "article (cold)" does: a render each. The fresh server with the
 * flags tells the flags' cost apart from what a server that has served the whole run carries; a
 * fourth, fresh with the flags but RENDER_CONCURRENCY=0, what the render gate changes. They
 * take turns in the order A B C C B A (the machine is shared: a drift in its load falls on all
 * alike), each turn on its own articles. Each server's peak RSS is sampled over the row.
 */
import http from 'node:http';
import { BROWSER_HEADERS, settle } from './load';
import { sampleMemory } from './memory';
import { startServers, type ServerHandle } from './server';
import { combineSegments, deal, ratio, type ReadSegment, type ReadTotals } from './stats';

export type FirstReads = ReadTotals & { server: string; command: string; articles: number; peakRssMb: number | null };

export type HeapFlagsReport = {
  order: string;
  connections: number;
  /** The longest a turn lasts; a turn also ends when its articles run out. */
  turnS: number;
  /** Articles each server read first, not measured: a new server's code is not yet optimised. */
  warmupReads: number;
  /** The run's own server, with the flags, after every page of the run. */
  withFlags: FirstReads;
  /** Started for this row, with the same flags. */
  freshWithFlags: FirstReads;
  /** Started for this row, without them. */
  withoutFlags: FirstReads;
  /** Started for this row, with the flags and without the render gate (RENDER_CONCURRENCY=0). */
  ungated: FirstReads;
  /** req/s of the fresh server with the gate over the one without (lib/server/render-gate.ts). */
  gateRpsRatio: number | null;
  /** req/s with the flags (the run's server) over req/s without (target ≥ 0.9: no more than 10% lost). */
  rpsRatio: number | null;
  /** The same, both servers fresh. */
  freshRpsRatio: number | null;
  targetRatio: number;
};

export type HeapFlagsContext = {
  server: ServerHandle;
  env: NodeJS.ProcessEnv;
  /** The first of the two extra servers' ports (the first free one after the run's servers). */
  port: number;
  /** Article paths no request of the run has asked for yet. */
  unread: string[];
  connections: number;
  turnS: number;
  /** A path that answers fast when the server is idle (the ceiling), for settle(). */
  settlePath: string;
  log: (line: string) => void;
};

const TARGET_RATIO = 0.9;
const WARMUP_READS = 20;
type Which = 'with' | 'fresh' | 'ungated' | 'without';
const ORDER: Which[] = ['with', 'fresh', 'ungated', 'without', 'without', 'ungated', 'fresh', 'with'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads each path once, `connections` at a time over kept-alive sockets, until they run out or the time is up. */
async function readEach(baseUrl: string, paths: readonly string[], connections: number, seconds: number): Promise<ReadSegment> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const segment: ReadSegment = { latenciesMs: [], seconds: 0, hits: 0, non2xx: 0, socketErrors: 0 };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const one = (path: string) =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      let settled = false;
      const failed = () => {
        if (settled) return;
        settled = true;
        segment.socketErrors += 1;
        resolve();
      };
      const request = http.get(`${baseUrl}${path}`, { agent, headers: BROWSER_HEADERS, timeout: 30_000 }, (res) => {
        res.on('error', failed);
        res.on('end', () => {
          if (settled) return;
          settled = true;
          segment.latenciesMs.push(performance.now() - sent);
          if (res.headers['x-nextjs-cache'] === 'HIT') segment.hits += 1;
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) segment.non2xx += 1;
          resolve();
        });
        res.resume();
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', failed);
    });
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < paths.length && performance.now() < deadline) await one(paths[next++]);
      }),
    );
  } finally {
    agent.destroy();
  }
  segment.seconds = (performance.now() - started) / 1000;
  return segment;
}

async function untilReady(baseUrl: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const ready = await fetch(`${baseUrl}/readyz`).catch(() => null);
    if (ready?.ok) return;
    await sleep(100);
  }
}

export async function measureHeapFlags(ctx: HeapFlagsContext): Promise<HeapFlagsReport> {
  const kinds: Which[] = ['with', 'fresh', 'ungated', 'without'];
  const turns = ORDER.length;
  // Warm-up reads first (WARMUP_READS for each server), then the rest dealt to the turns.
  const warmup = new Map(kinds.map((which, i) => [which, ctx.unread.slice(i * WARMUP_READS, (i + 1) * WARMUP_READS)]));
  const hands = deal(ctx.unread.slice(kinds.length * WARMUP_READS), turns);
  if (hands.some((hand) => hand.length < ctx.connections)) {
    throw new Error(`only ${ctx.unread.length} articles nobody has read: too few for ${turns} turns of ${ctx.connections} readers`);
  }
  ctx.log(
    `[bench] heap flags: fresh servers without them, with them, and with them but no render gate on ports ${ctx.port}–${ctx.port + 2}, first reads of articles, A B C D D C B A`,
  );
  const started: ServerHandle[] = [];
  try {
    started.push(...(await startServers(1, ctx.port, ctx.env, { heapFlags: false })));
    started.push(...(await startServers(1, ctx.port + 1, ctx.env)));
    started.push(...(await startServers(1, ctx.port + 2, { ...ctx.env, RENDER_CONCURRENCY: '0' })));
    const servers: Record<Which, ServerHandle> = { with: ctx.server, without: started[0], fresh: started[1], ungated: started[2] };
    await Promise.all(started.map((server) => untilReady(server.baseUrl)));
    const memory = new Map(kinds.map((which) => [which, sampleMemory([servers[which].pgid])]));
    const segments: Record<Which, ReadSegment[]> = { with: [], fresh: [], ungated: [], without: [] };
    for (const which of kinds) await readEach(servers[which].baseUrl, warmup.get(which)!, 2, 60);
    for (let turn = 0; turn < turns; turn += 1) {
      const which = ORDER[turn];
      await settle(servers[which].baseUrl, ctx.settlePath);
      segments[which].push(await readEach(servers[which].baseUrl, hands[turn], ctx.connections, ctx.turnS));
    }
    const reads = (which: Which): FirstReads => ({
      server: servers[which].baseUrl,
      command: servers[which].command,
      articles: segments[which].reduce((sum, segment) => sum + segment.latenciesMs.length + segment.socketErrors, 0),
      ...combineSegments(segments[which]),
      peakRssMb: memory.get(which)!.stop().peakMb,
    });
    const withFlags = reads('with');
    const freshWithFlags = reads('fresh');
    const withoutFlags = reads('without');
    const ungated = reads('ungated');
    return {
      order: "the run's server, fresh with, fresh with but no render gate, fresh without, and back",
      connections: ctx.connections,
      turnS: ctx.turnS,
      warmupReads: WARMUP_READS,
      withFlags,
      freshWithFlags,
      withoutFlags,
      ungated,
      gateRpsRatio: ratio(freshWithFlags.rps, ungated.rps),
      rpsRatio: ratio(withFlags.rps, withoutFlags.rps),
      freshRpsRatio: ratio(freshWithFlags.rps, withoutFlags.rps),
      targetRatio: TARGET_RATIO,
    };
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
}
