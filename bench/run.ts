/**
 * `npm run bench [-- options]`: throughput, latency, errors and bytes of every reader page and the
 * editor's list against a production build on a generated corpus, as a ratio of a static page on
 * the same server; the servers' peak memory; how soon readers see a publish, an edit, an unpublish
 * and scheduled posts; and the script weight of the article and home pages. Prints tables and
 * writes every figure to bench/results/<timestamp>.json. Needs nothing but the README's setup.
 */
import { cleanup, installSignalHandlers } from './lib/cleanup';
import { COMMON_HELP, common, integer, number, parse, UsageError } from './lib/options';
import { machine, writeResults } from './lib/report';
import { printReport } from './lib/print';
import { serverCommand } from './lib/server';
import { prepare } from './lib/setup';
import { runSuite } from './lib/suite';

const HELP = `usage: npm run bench [-- options]
  --quick          1,000 posts, 3 s per page, 1 s warm-up, a 15 s spike (~3 minutes plus the build)
  --duration S     seconds per page (default 10)
  --warmup S       seconds of warm-up per page (default 2)
  --connections N  concurrent connections (default 10)
  --instances N    servers on consecutive ports (default 1; readers go through the round-robin
                   proxy of npm run cluster, freshness is polled on the last)
  --freshness-timeout S  give up waiting for a change to show after S seconds (default 30)
  --spike S        seconds of the publishing-during-a-spike row (default 60; 15 with --quick)
${COMMON_HELP}
  (default corpus: 10,000 posts; --posts 100000 for the large run)`;

function readOptions() {
  const values = parse(process.argv.slice(2), {
    quick: { type: 'boolean' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    instances: { type: 'string' },
    'freshness-timeout': { type: 'string' },
    spike: { type: 'string' },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const quick = values.quick === true;
  return {
    quick,
    ...common(values, { posts: quick ? 1_000 : 10_000 }),
    durationS: number(values, 'duration', quick ? 3 : 10, 1, 3_600),
    warmupS: number(values, 'warmup', quick ? 1 : 2, 0.5, 600),
    connections: integer(values, 'connections', 10, 1, 1_000),
    instances: integer(values, 'instances', 1, 1, 16),
    freshnessTimeoutMs: number(values, 'freshness-timeout', quick ? 15 : 30, 1, 600) * 1000,
    spikeS: number(values, 'spike', quick ? 15 : 60, 5, 3_600),
  };
}

installSignalHandlers();
let exitCode = 0;
try {
  const options = readOptions();
  const startedAt = new Date();
  // The machine may be shared: the load before and after says how much to trust the figures.
  const loadAverageAtStart = machine().loadAverage;
  const setup = await prepare('bench', options);
  const { sampled, ...suite } = await runSuite(setup, options, console.log);
  const results = {
    kind: 'bench',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine(), loadAverageAtStart },
    config: { ...options, server: serverCommand(options.port).description, distDir: setup.build.distDir },
    database: { name: setup.db.name, embedded: setup.db.embedded },
    corpus: { ...setup.corpus, ...sampled },
    build: setup.build,
    ...suite,
  };
  printReport(results);
  console.log(`\nResults: ${writeResults('', results)}`);
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  console.error(error instanceof UsageError ? `Error: ${error.message}\n\n${HELP}` : `[bench] failed: ${(error as Error).stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
