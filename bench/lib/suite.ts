/**
 * The measurements of `npm run bench`, in order: checks that every page answers 200 and that our
 * deep cursor is the one the site itself links to, a warm-up, the ceiling, every page, the ceiling
 * again (the machine is shared: the mean of both is the fairer ceiling), first reads with and
 * without the heap flags, freshness, the cold path, publishing during a spike, script weight.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createBalancer } from '../../lib/server/balancer';
import { actionClient, loadActionIds } from './actions';
import { measureColdPath, type ColdReport } from './cold';
import { distDir } from './build';
import { measureFreshness, type FreshnessReport } from './freshness';
import { measureHeapFlags, type HeapFlagsReport } from './heap-flags';
import { BROWSER_HEADERS, measure, settle, type LoadResult, type PageTarget } from './load';
import { sampleMemory, type MemoryReport } from './memory';
import { createNotifier } from './notify';
import { ceilingTarget, cursorAfterPages, olderLink, pageTargets, previewTokens, readCorpus, splitArticles, type Corpus } from './pages';
import { createRng } from './prng';
import { scriptWeight, type ScriptWeight } from './script-weight';
import { createAccount, signIn } from './session';
import type { Setup } from './setup';
import { measureSpike, type SpikeReport } from './spike';

export type SuiteOptions = { connections: number; durationS: number; warmupS: number; freshnessTimeoutMs: number; seed: number; spikeS: number };

export type PageResult = LoadResult & { ratioToCeiling: number; peakRssMb: number | null };

export type SuiteReport = {
  ceiling: { path: string; usedFallback: boolean; rps: number; runs: LoadResult[] };
  pages: PageResult[];
  memory: MemoryReport;
  freshness: FreshnessReport;
  cold: ColdReport;
  /** Issue 15, target 5: 50 readers while a writer publishes every 2 s. */
  spike: SpikeReport | null;
  /** Issue 15, target 6: first-read throughput with and without the server's heap flags. */
  heapFlags: HeapFlagsReport | null;
  scripts: ScriptWeight[];
  checks: { cursor: string; firstAnswers: Record<string, number>; problems: string[] };
  sampled: Pick<Corpus, 'tag' | 'author' | 'pageSize' | 'deepPage' | 'deepCursor'> & { sampledSlugs: number };
};

/** How long after a publish the cold-path row's first reader arrives. */
const WARM_READ_DELAY_MS = 1_000;

const pathOf = (target: PageTarget) => (typeof target.path === 'string' ? target.path : target.path());

/** Every page once, before any load: a page that answers 404 or redirects would measure nothing. */
async function firstAnswers(baseUrl: string, targets: PageTarget[], problems: string[]): Promise<Record<string, number>> {
  const answers: Record<string, number> = {};
  for (const target of targets) {
    const path = pathOf(target);
    const response = await fetch(`${baseUrl}${path}`, { headers: target.headers, redirect: 'manual' });
    await response.arrayBuffer();
    answers[target.name] = response.status;
    if (response.status !== 200) problems.push(`${target.name}: ${path} answered ${response.status} before the run`);
  }
  return answers;
}

/** Our computed cursor must be the site's own "Older" link, or the deep page measures something else. */
async function checkCursor(baseUrl: string, db: pg.ClientBase, corpus: Corpus, problems: string[]): Promise<string> {
  const [linked, computed] = await Promise.all([olderLink(baseUrl, '/'), cursorAfterPages(db, 1, corpus.pageSize)]);
  if (!linked) {
    problems.push('home page: no "Older" link found');
    return 'no Older link on the home page';
  }
  if (linked !== computed) {
    problems.push(`home page: its Older link (${linked}) is not the cursor computed from the database (${computed})`);
    return 'differs from the site';
  }
  return 'matches the home page Older link';
}

/** The home page must list the newest public post: a home page prerendered from another database would not. */
async function checkHomeIsCurrent(baseUrl: string, db: pg.ClientBase, problems: string[]): Promise<void> {
  const { rows } = await db.query<{ slug: string }>(
    `select slug from posts where status in ('published', 'scheduled') and publish_at <= now() order by publish_at desc, id desc limit 1`,
  );
  const html = await (await fetch(`${baseUrl}/`)).text();
  if (rows[0] && !html.includes(`/posts/${rows[0].slug}"`)) {
    problems.push(`home page does not list the newest public post (${rows[0].slug}): it is stale (served from the build's prerender?)`);
  }
}

/** A round-robin proxy in this process in front of the servers (lib/server/balancer.ts). */
async function startBalancer(urls: string[]): Promise<{ url: string; close(): void }> {
  const server = createBalancer(urls.map((url) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/**
 * Articles no request of the run has asked for yet: every public post but the warm half of the
 * sample and the cold ones the run requested, in the sample's order (md5 of the id).
 */
async function unreadArticles(db: pg.ClientBase, warm: readonly string[], requested: ReadonlySet<string>): Promise<string[]> {
  const { rows } = await db.query<{ slug: string }>(
    `select slug from posts where kind = 'post' and status in ('published', 'scheduled') and publish_at <= now() order by md5(id::text)`,
  );
  const read = new Set([...warm.map((slug) => `/posts/${encodeURIComponent(slug)}`), ...requested]);
  return rows.map((row) => `/posts/${encodeURIComponent(row.slug)}`).filter((path) => !read.has(path));
}

/** The same targets, with every path a first-read ("cold") target picks recorded in `requested`. */
function recordingColdPaths(targets: PageTarget[], requested: Set<string>): PageTarget[] {
  return targets.map((target) => {
    const pick = target.path;
    if (!target.cold || typeof pick === 'string') return target;
    return {
      ...target,
      path: () => {
        const path = pick();
        requested.add(path);
        return path;
      },
    };
  });
}

/** Requests every path once, `concurrency` at a time (to fill the page cache). */
async function readAll(baseUrl: string, paths: string[], concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < paths.length) {
        const response = await fetch(`${baseUrl}${paths[next++]}`, { headers: BROWSER_HEADERS });
        await response.arrayBuffer();
      }
    }),
  );
}

export async function runSuite(setup: Setup, options: SuiteOptions, log: (line: string) => void): Promise<SuiteReport> {
  let [first] = setup.servers;
  const last = setup.servers[setup.servers.length - 1];
  // Several instances: readers go through the round-robin proxy `npm run cluster` uses.
  const front = setup.servers.length > 1 ? await startBalancer(setup.servers.map((server) => server.baseUrl)) : null;
  const base = front?.url ?? first.baseUrl;
  if (front) log(`[bench] ${setup.servers.length} instances behind a round-robin proxy at ${front.url}`);
  const db = new pg.Client({ connectionString: setup.db.url });
  await db.connect();
  const notifier = await createNotifier(setup.db.url);
  const memory = sampleMemory(setup.servers.map((s) => s.pgid));
  try {
    const problems: string[] = [];
    const admin = await createAccount(db, {
      email: 'bench-admin@bench.invalid',
      name: 'Bench Admin',
      slug: 'bench-admin',
      role: 'admin',
      password: randomBytes(12).toString('base64url'),
    });
    const cookie = await signIn(first.baseUrl, admin);
    const corpus = await readCorpus(db);
    // The heap-flags row reads articles nobody has: remember the ones the first-read pages asked for.
    const requested = new Set<string>();
    const previews = await previewTokens(db, splitArticles(corpus).warm);
    const targets = recordingColdPaths(pageTargets(corpus, createRng(options.seed).fork('requests'), cookie, previews), requested);
    const ceiling = await ceilingTarget(base);
    const cursor = await checkCursor(first.baseUrl, db, corpus, problems);
    await checkHomeIsCurrent(base, db, problems);
    const answers = await firstAnswers(base, [...targets, ceiling], problems);
    for (const problem of problems) log(`[check] ${problem}`);

    memory.phase('warm-up');
    const { warm } = splitArticles(corpus);
    log(`[bench] warming up: every one of ${warm.length} cached articles once, then ${options.warmupS} s per page`);
    await readAll(
      base,
      warm.map((slug) => `/posts/${encodeURIComponent(slug)}`),
      options.connections,
    );
    for (const target of [ceiling, ...targets]) {
      if (!target.cold) await measure(base, target, { connections: options.connections, durationS: options.warmupS });
    }

    const settings = { connections: options.connections, durationS: options.durationS };
    const run = async (target: PageTarget, phase: string) => {
      await settle(base, ceiling.example);
      memory.phase(phase);
      log(`[bench] ${target.name}: ${options.durationS} s, ${options.connections} connections`);
      return measure(base, target, settings);
    };
    const ceilingRuns = [await run(ceiling, 'ceiling')];
    const measured: LoadResult[] = [];
    for (const target of targets) measured.push(await run(target, target.name));
    ceilingRuns.push(await run(ceiling, 'ceiling'));
    const ceilingRps = ceilingRuns.reduce((sum, r) => sum + r.rps, 0) / ceilingRuns.length;

    // Issue 15, target 6, before anything else reads articles (the restart row reads the newest 500).
    const rowProblems: string[] = [];
    await settle(first.baseUrl, ceiling.example);
    memory.phase('heap flags');
    const heapFlags = await measureHeapFlags({
      server: first,
      env: setup.env,
      port: last.port + 1,
      unread: await unreadArticles(db, warm, requested),
      connections: options.connections,
      turnS: options.durationS,
      settlePath: ceiling.example,
      log,
    }).catch((error: Error) => (rowProblems.push(`heap flags: ${error.message}`), null));

    await settle(first.baseUrl, ceiling.example);
    memory.phase('freshness');
    log(`[bench] freshness: publish, edit, unpublish, then 5 scheduled posts`);
    const actions = actionClient(first.baseUrl, loadActionIds(distDir()), cookie);
    const token = randomBytes(5).toString('hex');
    const freshness = await measureFreshness({
      actions,
      writeUrl: first.baseUrl,
      pollUrl: last.baseUrl,
      db,
      notifier,
      timeoutMs: options.freshnessTimeoutMs,
      token,
    });

    // The cold path: collapsing, warming after a publish, a restart (on the first server only).
    memory.phase('cold path');
    const { server: restarted, ...cold } = await measureColdPath(
      { server: first, env: setup.env, db, databaseUrl: setup.db.url, notifier, actions, authorSlug: 'bench-admin', log },
      { publishes: 20, warmDelayMs: WARM_READ_DELAY_MS, restartPages: 500 },
    );
    setup.servers[0] = restarted;
    first = restarted;

    // Issue 15, target 5, on the first server, readers included.
    await settle(first.baseUrl, ceiling.example);
    memory.phase('spike');
    const spike = await measureSpike({
      server: first,
      actions,
      slugs: corpus.slugs,
      rng: createRng(options.seed).fork('spike'),
      durationS: options.spikeS,
      metricsToken: setup.env.METRICS_TOKEN ?? '',
      log,
    }).catch((error: Error) => (rowProblems.push(`spike: ${error.message}`), null));
    // A server that died under the spike (its old space, say) shows as socket errors; say so plainly.
    const alive = await fetch(`${first.baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
    if (!alive?.ok) rowProblems.push(`the server on port ${first.port} no longer answers /healthz after the spike: see ${first.logFile}`);
    cold.problems.push(...rowProblems);

    memory.phase('script weight');
    // Measured last: a server the rows above brought down costs this table, not the report.
    const scripts = alive?.ok ? [await scriptWeight(first.baseUrl, `/posts/${corpus.slugs[0]}`), await scriptWeight(first.baseUrl, '/')] : [];
    const memoryReport = memory.stop();
    return {
      ceiling: { path: ceiling.example, usedFallback: ceiling.example !== '/bench/static', rps: Math.round(ceilingRps * 10) / 10, runs: ceilingRuns },
      pages: measured.map((result) => ({
        ...result,
        ratioToCeiling: ceilingRps > 0 ? Math.round((result.rps / ceilingRps) * 1000) / 1000 : 0,
        peakRssMb: memoryReport.byPhase[result.name] ?? null,
      })),
      memory: memoryReport,
      freshness,
      cold,
      spike,
      heapFlags,
      scripts,
      checks: { cursor, firstAnswers: answers, problems },
      sampled: {
        tag: corpus.tag,
        author: corpus.author,
        pageSize: corpus.pageSize,
        deepPage: corpus.deepPage,
        deepCursor: corpus.deepCursor,
        sampledSlugs: corpus.slugs.length,
      },
    };
  } finally {
    front?.close();
    memory.stop();
    await notifier.close();
    await db.end();
  }
}
