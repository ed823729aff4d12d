/**
 * `npm run bench:soak [-- options]`: 50 readers on random public pages and 5 writers saving and
 * publishing through the editor's real server actions, for 60 s, against the production build.
 * Reports requests, errors and p99 latency; exits non-zero on any 5xx or any lost write (a save the
 * server acknowledged that is not what the database holds afterwards).
 */
import pg from 'pg';
import { actionClient, loadActionIds } from './lib/actions';
import { distDir } from './lib/build';
import { cleanup, installSignalHandlers } from './lib/cleanup';
import { measure, type LoadResult } from './lib/load';
import { sampleMemory, type MemoryReport } from './lib/memory';
import { COMMON_HELP, common, integer, number, parse, UsageError } from './lib/options';
import { readCorpus } from './lib/pages';
import { createRng } from './lib/prng';
import { machine, ms, table, writeResults } from './lib/report';
import { readerMix } from './lib/reader-mix';
import { createAccount, signIn } from './lib/session';
import type { ServerHandle } from './lib/server';
import { prepare } from './lib/setup';
import { checkWriter, createWriterPost, runWriter, type LostWrite, type WriterStats } from './lib/writer';

const HELP = `usage: npm run bench:soak [-- options]
  --duration S     seconds (default 60)
  --readers N      concurrent reader connections (default 50)
  --writers N      concurrent writers, each on their own post (default 5)
${COMMON_HELP}
  (default corpus: 1,000 posts)`;

function readOptions() {
  const values = parse(process.argv.slice(2), { duration: { type: 'string' }, readers: { type: 'string' }, writers: { type: 'string' } });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  return {
    ...common(values, { posts: 1_000 }),
    durationS: number(values, 'duration', 60, 1, 24 * 3_600),
    readers: integer(values, 'readers', 50, 1, 1_000),
    writers: integer(values, 'writers', 5, 0, 100),
    instances: 1,
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

async function signedInWriters(baseUrl: string, db: pg.ClientBase, count: number) {
  const ids = loadActionIds(distDir());
  const writers = [];
  for (let n = 1; n <= count; n += 1) {
    const password = `soak-writer-password-${n}`;
    const account = await createAccount(db, { email: `writer-${n}@bench.invalid`, name: `Soak Writer ${n}`, slug: `soak-writer-${n}`, role: 'author', password });
    const actions = actionClient(baseUrl, ids, await signIn(baseUrl, account));
    writers.push({ n, actions, postId: await createWriterPost(actions) });
  }
  return writers;
}

type SoakOutcome = { readers: LoadResult; writerStats: WriterStats[]; memory: MemoryReport; lost: LostWrite[] };

/** Readers and writers at once until the deadline, then the database checked against the acknowledgements. */
async function soak(databaseUrl: string, server: ServerHandle, options: ReturnType<typeof readOptions>): Promise<SoakOutcome> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const corpus = await readCorpus(db);
    const rng = createRng(options.seed);
    const writers = await signedInWriters(server.baseUrl, db, options.writers);
    const tagSlugs = (await db.query<{ slug: string }>('select slug from tags order by slug')).rows.map((r) => r.slug);
    console.log(`[soak] ${options.readers} readers and ${options.writers} writers for ${options.durationS} s`);
    const sampler = sampleMemory([server.pgid]);
    const deadline = Date.now() + options.durationS * 1000;
    const [readers, writerStats] = await Promise.all([
      measure(server.baseUrl, readerMix(corpus, rng.fork('readers')), { connections: options.readers, durationS: options.durationS }),
      Promise.all(writers.map((w) => runWriter({ writer: w.n, actions: w.actions, rng: rng.fork(`writer-${w.n}`), deadline, tagSlugs }, w.postId))),
    ]);
    const memory = sampler.stop();
    const { rows } = await db.query<{ id: string; version: number; markdown: string }>('select id, version, markdown from posts where id = any($1)', [
      writerStats.map((s) => s.postId),
    ]);
    const lost = writerStats
      .map((s) =>
        checkWriter(
          s,
          rows.find((r) => r.id === s.postId),
        ),
      )
      .filter((l): l is LostWrite => l !== null);
    return { readers, writerStats, memory, lost };
  } finally {
    await db.end();
  }
}

installSignalHandlers();
let exitCode = 0;
try {
  const options = readOptions();
  const startedAt = new Date();
  const setup = await prepare('soak', options);
  const [server] = setup.servers;
  const { readers, writerStats, memory, lost } = await soak(setup.db.url, server, options);
  const latencies = writerStats.flatMap((s) => s.latenciesMs);
  const sum = (key: keyof Pick<WriterStats, 'writes' | 'acknowledged' | 'conflicts' | 'refused' | 'http5xx' | 'networkErrors'>) =>
    writerStats.reduce((n, s) => n + s[key], 0);
  const writes = {
    writes: sum('writes'),
    acknowledged: sum('acknowledged'),
    conflicts: sum('conflicts'),
    refused: sum('refused'),
    http5xx: sum('http5xx'),
    networkErrors: sum('networkErrors'),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
  const failures = [
    ...(readers.status['5xx'] > 0 ? [`${readers.status['5xx']} reader request(s) answered 5xx`] : []),
    ...(writes.http5xx > 0 ? [`${writes.http5xx} write(s) answered 5xx`] : []),
    ...lost.map((l) => `lost write: writer ${l.writer} (post ${l.postId}): ${l.reason}`),
  ];

  console.log(`\nSoak: ${options.durationS} s, ${options.readers} readers, ${options.writers} writers (server actions over HTTP), ${server.command}\n`);
  console.log(
    table(
      ['who', 'requests', 'req/s', 'p50', 'p99', '2xx', '3xx', '4xx', '5xx', 'socket err'],
      [
        [
          'readers',
          readers.requests,
          readers.rps,
          ms(readers.p50Ms),
          ms(readers.p99Ms),
          readers.status['2xx'],
          readers.status['3xx'],
          readers.status['4xx'],
          readers.status['5xx'],
          readers.socketErrors,
        ],
        [
          'writers',
          writes.writes,
          Math.round((writes.writes / options.durationS) * 10) / 10,
          ms(writes.p50Ms),
          ms(writes.p99Ms),
          writes.acknowledged,
          '-',
          writes.refused,
          writes.http5xx,
          writes.networkErrors,
        ],
      ],
    ),
  );
  console.log(`\nWrites: ${writes.acknowledged} acknowledged, ${writes.conflicts} unexpected conflicts, ${writes.refused} refused, ${lost.length} lost`);
  for (const s of writerStats) for (const e of s.firstErrors) console.log(`  writer ${s.writer}: ${e}`);
  console.log(`Memory: peak RSS ${memory.peakMb ?? '?'} MB (target < ${memory.targetMb} MB)`);
  console.log(failures.length ? `\nFAILED:\n${failures.map((f) => `  ✗ ${f}`).join('\n')}` : '\nPASSED: no 5xx, no lost write');
  const file = writeResults('soak-', {
    kind: 'soak',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machine(),
    config: { ...options, server: server.command, writesVia: 'editor server actions over HTTP' },
    database: { name: setup.db.name, embedded: setup.db.embedded },
    corpus: setup.corpus,
    build: setup.build,
    readers,
    writes,
    writers: writerStats.map(({ latenciesMs, acked, inDoubt, ...rest }) => ({ ...rest, ackedVersion: acked.version, inDoubt: inDoubt.length })),
    lost,
    memory,
    failures,
  });
  console.log(`Results: ${file}`);
  if (failures.length) exitCode = 1;
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  console.error(error instanceof UsageError ? `Error: ${error.message}\n\n${HELP}` : `[soak] failed: ${(error as Error).stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
