/**
 * The cold path (issue 15): what readers meet when a page is not ready.
 * - collapse: a just-changed home page read by 200 readers at once: how many renders the server
 *   made (its own count, `broadsheet_renders_total` on /metrics) and their latency, against the
 *   time of one render;
 * - warm: ≥ 20 publishes through the editor's server actions; a moment after each, the first read
 *   of the article, home, the feed, its tag page and its author page: the share that were cache hits
 *   (`x-nextjs-cache: HIT`, the server rendered nothing for that request) showing the change;
 * - restart: 500 pages read, the server restarted, the same 500 read again: the share of hits and
 *   the renders the server counted.
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import pg from 'pg';
import type { ActionClient } from './actions';
import { fieldsFor } from './freshness';
import { BROWSER_HEADERS } from './load';
import type { Notifier } from './notify';
import { startServers, type ServerHandle } from './server';
import { quantile } from './stats';

export type CollapseReport = {
  readers: number;
  renders: number;
  p50Ms: number;
  p99Ms: number;
  oneRenderMs: number;
  showingChange: number;
  errors: number;
  /** The same burst of new connections to the home page while it was kept (no render): what the connections alone cost. */
  keptP50Ms: number;
  keptP99Ms: number;
};
export type WarmReport = {
  publishes: number;
  delayMs: number;
  reads: number;
  hitsShowingChange: number;
  share: number;
  p50Ms: number;
  maxMs: number;
  byPage: Record<string, { reads: number; hitsShowingChange: number }>;
  renders: number;
};
export type RestartReport = {
  pages: number;
  hits: number;
  share: number;
  renders: number;
  restartMs: number;
  errors: number;
  /** Reads before the restart that failed: the server died (out of memory, say) or refused; what it had not stored is a render after. */
  failedBefore: number;
  /** The reads after the restart (kept pages read back from disk), and the same pages read once more (from memory). */
  after: ReadPass;
  again: ReadPass;
};
/** A pass over the pages, 10 at a time: its throughput and latencies. */
export type ReadPass = { rps: number; p50Ms: number; p99Ms: number };
export type ColdReport = { collapse: CollapseReport | null; warm: WarmReport | null; restart: RestartReport | null; problems: string[] };

export type ColdContext = {
  server: ServerHandle;
  env: NodeJS.ProcessEnv;
  db: pg.ClientBase;
  databaseUrl: string;
  notifier: Notifier;
  actions: ActionClient;
  /** The signed-in admin's author page. */
  authorSlug: string;
  log: (line: string) => void;
};

const CHANNEL = 'broadsheet_changes';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server's /metrics text, or the status it refused with. */
export async function scrape(baseUrl: string, token: string): Promise<{ text: string } | { status: number }> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return response.ok ? { text: await response.text() } : { status: response.status };
}

/** Renders the server has counted so far (every kind, or one). */
export async function renders(baseUrl: string, token: string, kind?: string): Promise<number> {
  const scraped = await scrape(baseUrl, token);
  if (!('text' in scraped)) throw new Error(`/metrics answered ${scraped.status}`);
  let total = 0;
  for (const match of scraped.text.matchAll(/^broadsheet_renders_total\{kind="(\w+)"\} (\d+)/gm)) {
    if (!kind || match[1] === kind) total += Number(match[2]);
  }
  return total;
}

/**
 * Waits until the server renders nothing (no page being warmed or queued for warming after a
 * change, nothing in or waiting at its render gate; twice 50 ms apart; up to 15 s): the background
 * renders of the bench's own earlier changes are done, so a measurement meets only the renders of
 * its own change. The warm gauge counts a page from its queueing to its render's end: /metrics is
 * answered only between renders, so the gate's gauge alone read 0 in the gap between two.
 */
export async function quiet(baseUrl: string, token: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let calm = 0;
  while (Date.now() < deadline && calm < 2) {
    const scraped = await scrape(baseUrl, token);
    const text = 'text' in scraped ? scraped.text : '';
    const counts = [...text.matchAll(/^broadsheet_(?:render_gate_requests|warm_pages)\{state="\w+"\} (\d+)/gm)].map((match) => Number(match[1]));
    if (counts.length === 0) return;
    calm = counts.every((count) => count === 0) ? calm + 1 : 0;
    if (calm < 2) await sleep(50);
  }
}

export type Read = { status: number; ms: number; hit: boolean; body: string };

export async function read(baseUrl: string, path: string): Promise<Read> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { headers: BROWSER_HEADERS, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const body = await response.text();
  return { status: response.status, ms: performance.now() - started, hit: response.headers.get('x-nextjs-cache') === 'HIT', body };
}

/**
 * One read with node:http, timed from the moment the request has left (its socket connected and the
 * request written) to the last byte, and decoded only after: 200 of them at once must measure the
 * server, not this process's own work. Timed from the call instead, the 200th request of a burst
 * left this process 200–260 ms after the first (the server's log: the render done in 136 ms, every
 * other reader answered in 0.3 ms once its request arrived, the requests arriving over 258 ms).
 */
function rawRead(baseUrl: string, path: string): Promise<Read> {
  return new Promise((resolve, reject) => {
    let started = performance.now();
    const req = request(`${baseUrl}${path}`, { headers: BROWSER_HEADERS, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const ms = performance.now() - started;
        const bytes = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const body = (encoding === 'br' ? brotliDecompressSync(bytes) : encoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
        resolve({ status: res.statusCode ?? 0, ms, hit: res.headers['x-nextjs-cache'] === 'HIT', body });
      });
      res.on('error', reject);
    });
    req.on('finish', () => (started = performance.now()));
    req.on('error', reject).end();
  });
}

/** Resolves when the next change notification reaches a listener of our own (the server hears it about then). */
async function heard(listener: pg.Client): Promise<void> {
  await new Promise<void>((resolve) => listener.once('notification', () => resolve()));
}

async function collapse(ctx: ColdContext, token: string, listener: pg.Client): Promise<CollapseReport> {
  const base = ctx.server.baseUrl;
  const READERS = 200;
  const { rows } = await ctx.db.query<{ id: string; slug: string; title: string }>(
    `select id, slug, title from posts where kind = 'post' and status in ('published', 'scheduled') and publish_at <= now() order by publish_at desc, id desc limit 1`,
  );
  const newest = rows[0];
  /** The newest post gets a new title (home shows it), announced like a CLI change. */
  const change = async (title: string) => {
    await ctx.db.query('update posts set title = $1 where id = $2', [title, newest.id]);
    const told = heard(listener);
    await ctx.notifier.announce({ posts: [newest.slug], lists: true });
    await told;
    // The server hears it about when we do: a few milliseconds' margin.
    await sleep(10);
  };
  await read(base, '/');
  await read(base, '/');
  // One render's time: one reader right after a change (it renders, or waits for the server's own warm render).
  const single: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    await quiet(base, token);
    await change(`${newest.title} (one ${i})`);
    single.push((await rawRead(base, '/')).ms);
    await sleep(300);
  }
  /** READERS reads of home at once, each on a new connection: the answers that were 200s. */
  const burst = async () =>
    (await Promise.all(Array.from({ length: READERS }, () => rawRead(base, '/').catch(() => null)))).filter(
      (answer): answer is Read => answer !== null && answer.status === 200,
    );
  const times = (answers: Read[]) => answers.map((answer) => answer.ms);
  // The same burst while the page is kept: 200 new connections answered from the replay cache.
  await quiet(base, token);
  await rawRead(base, '/');
  const kept = await burst();
  const title = `${newest.title} (collapse ${Date.now().toString(36)})`;
  await quiet(base, token);
  const before = await renders(base, token, 'list');
  await change(title);
  const ok = await burst();
  await sleep(500);
  const after = await renders(base, token, 'list');
  return {
    readers: READERS,
    renders: after - before,
    p50Ms: quantile(times(ok), 0.5),
    p99Ms: quantile(times(ok), 0.99),
    oneRenderMs: quantile(single, 0.5),
    showingChange: ok.filter((answer) => answer.body.includes(title.replace(/&/g, '&amp;'))).length,
    errors: READERS - ok.length,
    keptP50Ms: quantile(times(kept), 0.5),
    keptP99Ms: quantile(times(kept), 0.99),
  };
}

type EditorPost = { id: string; version: number; slug: string };
type Result = { ok: true; data: EditorPost } | { ok: false; error: string };

async function warm(ctx: ColdContext, token: string, publishes: number, delayMs: number): Promise<WarmReport> {
  const base = ctx.server.baseUrl;
  const byPage: WarmReport['byPage'] = {};
  const latencies: number[] = [];
  const before = await renders(base, token);
  const run = Date.now().toString(36);
  for (let i = 0; i < publishes; i += 1) {
    const created = await ctx.actions.call('createPostAction', '/editor/posts/new', [null]);
    const id = created.redirect?.split('/').pop();
    if (!id) throw new Error(`createPostAction did not open a new post (HTTP ${created.status})`);
    const marker = `warm-${run}-${i}`;
    const answer = await ctx.actions.call<Result>('publishPostAction', `/editor/posts/${id}`, [
      { id, baseVersion: 1, fields: { ...fieldsFor(`Warm probe ${run} ${i}`, marker), tags: ['Warm probe'] } },
    ]);
    if (!answer.result?.ok) throw new Error(`publishPostAction failed: HTTP ${answer.status}`);
    const slug = answer.result.data.slug;
    await sleep(delayMs);
    const link = `/posts/${slug}`;
    const pages: [string, string, (body: string) => boolean][] = [
      ['article', link, (body) => body.includes(marker)],
      ['home', '/', (body) => body.includes(link)],
      ['feed.xml', '/feed.xml', (body) => body.includes(link)],
      ['tag', '/tags/warm-probe', (body) => body.includes(link)],
      ['author', `/authors/${ctx.authorSlug}`, (body) => body.includes(link)],
    ];
    const reads = await Promise.all(pages.map(([, path]) => read(base, path)));
    reads.forEach((result, k) => {
      const [name, , shows] = pages[k];
      const page = (byPage[name] ??= { reads: 0, hitsShowingChange: 0 });
      page.reads += 1;
      if (result.status === 200 && result.hit && shows(result.body)) page.hitsShowingChange += 1;
      latencies.push(result.ms);
    });
    // Publishes a little apart, as writers make them.
    await sleep(300);
  }
  const reads = Object.values(byPage).reduce((sum, page) => sum + page.reads, 0);
  const hits = Object.values(byPage).reduce((sum, page) => sum + page.hitsShowingChange, 0);
  return {
    publishes,
    delayMs,
    reads,
    hitsShowingChange: hits,
    share: reads > 0 ? Math.round((hits / reads) * 1000) / 1000 : 0,
    p50Ms: quantile(latencies, 0.5),
    maxMs: quantile(latencies, 1),
    byPage,
    renders: (await renders(base, token)) - before,
  };
}

async function restart(ctx: ColdContext, token: string, count: number): Promise<{ report: RestartReport; server: ServerHandle }> {
  const { rows } = await ctx.db.query<{ slug: string }>(
    `select slug from posts where kind = 'post' and status in ('published', 'scheduled') and publish_at <= now() order by publish_at desc, id desc limit $1`,
    [count],
  );
  const paths = rows.map((row) => `/posts/${encodeURIComponent(row.slug)}`);
  const readAll = async (base: string): Promise<{ results: (Read | null)[]; pass: ReadPass }> => {
    const results: (Read | null)[] = [];
    let next = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < paths.length) {
          const i = next++;
          results[i] = await read(base, paths[i]).catch(() => null);
        }
      }),
    );
    const times = results.flatMap((result) => (result ? [result.ms] : []));
    const pass = { rps: Math.round((paths.length / ((performance.now() - began) / 1000)) * 10) / 10, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99) };
    return { results, pass };
  };
  const { results: first } = await readAll(ctx.server.baseUrl);
  const failedBefore = first.filter((result) => !result || result.status !== 200).length;
  // The disk writes are not awaited by the server: give them a moment.
  await sleep(2_000);
  const started = performance.now();
  await ctx.server.stop();
  const [server] = await startServers(1, ctx.server.port, ctx.env);
  const restartMs = Math.round(performance.now() - started);
  // The server reads the change history once its LISTEN connection is up: wait for /readyz.
  for (let i = 0; i < 100; i += 1) {
    const ready = await fetch(`${server.baseUrl}/readyz`).catch(() => null);
    if (ready?.ok) break;
    await sleep(100);
  }
  const before = await renders(server.baseUrl, token);
  const { results, pass: afterPass } = await readAll(server.baseUrl);
  const after = await renders(server.baseUrl, token);
  const { pass: againPass } = await readAll(server.baseUrl);
  const hits = results.filter((result) => result?.status === 200 && result.hit).length;
  return {
    server,
    report: {
      pages: paths.length,
      hits,
      share: paths.length ? Math.round((hits / paths.length) * 1000) / 1000 : 0,
      renders: after - before,
      restartMs,
      errors: results.filter((result) => !result || result.status !== 200).length,
      failedBefore,
      after: afterPass,
      again: againPass,
    },
  };
}

/** Runs the three; a failure in one is a problem reported, not the end of the run. */
export async function measureColdPath(
  ctx: ColdContext,
  options: { publishes: number; warmDelayMs: number; restartPages: number },
): Promise<ColdReport & { server: ServerHandle }> {
  const token = ctx.env.METRICS_TOKEN ?? '';
  const problems: string[] = [];
  const report: ColdReport = { collapse: null, warm: null, restart: null, problems };
  let server = ctx.server;
  const listener = new pg.Client({ connectionString: ctx.databaseUrl });
  await listener.connect();
  await listener.query(`LISTEN ${CHANNEL}`);
  try {
    ctx.log('[bench] cold path: 200 readers of a just-changed home page');
    report.collapse = await collapse(ctx, token, listener).catch((error: Error) => (problems.push(`collapse: ${error.message}`), null));
    ctx.log(`[bench] cold path: ${options.publishes} publishes, first reads ${options.warmDelayMs} ms after each`);
    report.warm = await warm(ctx, token, options.publishes, options.warmDelayMs).catch((error: Error) => (problems.push(`warm: ${error.message}`), null));
    ctx.log(`[bench] cold path: ${options.restartPages} pages read, the server restarted, read again`);
    const restarted = await restart(ctx, token, options.restartPages).catch((error: Error) => (problems.push(`restart: ${error.message}`), null));
    if (restarted) {
      report.restart = restarted.report;
      if (restarted.report.failedBefore > 0) {
        problems.push(
          `restart: ${restarted.report.failedBefore} of the ${restarted.report.pages} reads before the restart failed (did the server die? see its log)`,
        );
      }
      server = restarted.server;
    }
  } finally {
    await listener.end();
  }
  return { ...report, server };
}
