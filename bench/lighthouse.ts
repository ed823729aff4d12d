/**
 * `npm run bench:lighthouse [-- options]`: Lighthouse 12 (its default, mobile configuration) on an
 * article and the home page of the production build, in the Chromium at CHROMIUM_PATH (default
 * /usr/bin/chromium). Prints the four category scores per page and every failing audit, and writes
 * the figures to bench/results/lighthouse-<timestamp>.json. The corpus's images are local, so the
 * run needs no network. Each page is requested once before its audit (see below).
 */
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import pg from 'pg';
import { cleanup, installSignalHandlers, onCleanup } from './lib/cleanup';
import { COMMON_HELP, common, parse, UsageError } from './lib/options';
import { machine, table, writeResults } from './lib/report';
import { prepare } from './lib/setup';
import { CHROMIUM_FLAGS } from '../scripts/lib/chromium';

const HELP = `usage: npm run bench:lighthouse [-- options]
${COMMON_HELP}
  (default corpus: 200 posts)`;

const CHROME_FLAGS = ['--headless=new', ...CHROMIUM_FLAGS];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'] as const;
/** Modes whose score is not a pass or fail. */
const UNSCORED = new Set(['informative', 'notApplicable', 'manual', 'error']);

type FailingAudit = { id: string; title: string; score: number | null; displayValue?: string; categories: string[]; examples: string[] };
type PageAudit = {
  page: string;
  url: string;
  scores: Record<string, number | null>;
  metrics: Record<string, string | undefined>;
  failing: FailingAudit[];
  errors: { id: string; title: string; message?: string }[];
  runWarnings: string[];
};

/** An article with a (local) hero image, the page Lighthouse should weigh as readers see it. */
async function articlePath(databaseUrl: string): Promise<string> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ slug: string }>(
      `select slug from posts where status = 'published' and publish_at <= now() and hero_image is not null order by publish_at desc limit 1`,
    );
    if (!rows[0]) throw new Error('no published post with a hero image in the corpus');
    return `/posts/${rows[0].slug}`;
  } finally {
    await db.end();
  }
}

/** The first few items an audit lists (console messages, offending URLs), to say why it fails. */
function examples(details: unknown): string[] {
  const items = (details as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
  return items.slice(0, 3).map((item) => {
    const parts = ['description', 'url', 'source'].map((key) => item[key]).filter((value): value is string => typeof value === 'string' && value !== '');
    const node = (item.node as { snippet?: string } | undefined)?.snippet;
    const location = (item.sourceLocation as { url?: string } | undefined)?.url;
    const shown = [...parts, ...(location ? [location] : []), ...(node ? [node] : [])].join(' ') || JSON.stringify(item);
    return shown.length > 200 ? `${shown.slice(0, 197)}…` : shown;
  });
}

async function audit(port: number, page: string, url: string): Promise<PageAudit> {
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error' });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  const categoriesOf = (id: string) => CATEGORIES.filter((c) => lhr.categories[c]?.auditRefs.some((ref) => ref.id === id));
  const audits = Object.values(lhr.audits);
  return {
    page,
    url,
    scores: Object.fromEntries(
      CATEGORIES.map((c) => [c, lhr.categories[c]?.score === null || lhr.categories[c] === undefined ? null : Math.round(lhr.categories[c].score! * 100)]),
    ),
    metrics: Object.fromEntries(METRICS.map((m) => [m, lhr.audits[m]?.displayValue])),
    failing: audits
      .filter((a) => !UNSCORED.has(a.scoreDisplayMode) && a.score !== null && a.score < 0.9 && categoriesOf(a.id).length > 0)
      .map((a) => ({ id: a.id, title: a.title, score: a.score, displayValue: a.displayValue, categories: categoriesOf(a.id), examples: examples(a.details) })),
    errors: audits.filter((a) => a.scoreDisplayMode === 'error').map((a) => ({ id: a.id, title: a.title, message: a.errorMessage })),
    runWarnings: lhr.runWarnings,
  };
}

function print(results: PageAudit[]): void {
  console.log('\nLighthouse 12 (mobile, default config)\n');
  console.log(
    table(
      ['page', ...CATEGORIES],
      results.map((r) => [r.page, ...CATEGORIES.map((c) => r.scores[c] ?? '-')]),
    ),
  );
  console.log('');
  console.log(
    table(
      ['page', 'FCP', 'LCP', 'TBT', 'CLS', 'Speed Index'],
      results.map((r) => [r.page, ...METRICS.map((m) => r.metrics[m] ?? '-')]),
    ),
  );
  for (const r of results) {
    console.log(`\nFailing audits, ${r.page} (${r.url}):`);
    if (r.failing.length === 0) console.log('  none');
    for (const a of r.failing) {
      console.log(`  ✗ ${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''} [${a.categories.join(', ')}]`);
      if (a.id === 'errors-in-console') for (const example of a.examples) console.log(`      ${example}`);
    }
    for (const e of r.errors) console.log(`  ! ${e.id}: could not run: ${e.message ?? e.title}`);
    for (const w of r.runWarnings) console.log(`  ! warning: ${w}`);
  }
}

installSignalHandlers();
let exitCode = 0;
try {
  const values = parse(process.argv.slice(2), {});
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const options = { ...common(values, { posts: 200 }), instances: 1 };
  const setup = await prepare('lighthouse', options);
  const [server] = setup.servers;
  const pages: [string, string][] = [
    ['article', `${server.baseUrl}${await articlePath(setup.db.url)}`],
    ['home', `${server.baseUrl}/`],
  ];
  const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const chrome = await launch({ chromePath, chromeFlags: CHROME_FLAGS, handleSIGINT: false, logLevel: 'error' });
  onCleanup(
    'chromium',
    () => chrome.kill(),
    () => process.kill(-chrome.pid, 'SIGKILL'),
  );
  // Each page is read once first, as any earlier reader would have: the audit then sees what
  // readers get (the kept page), not the fresh server's first render of it, which the main bench
  // measures ("article (cold)"). Unwarmed, that first render on the same two cores as Chromium held
  // the article's first paint back by 1.3-2.4 s (Speed Index 2.6-3.9 s, performance 98).
  for (const [, url] of pages) await (await fetch(url)).arrayBuffer();
  const results: PageAudit[] = [];
  // One page at a time: Lighthouse drives one tab, and parallel runs would skew each other's timings.
  for (const [page, url] of pages) {
    console.log(`[lighthouse] ${page}: ${url}`);
    results.push(await audit(chrome.port, page, url));
  }
  print(results);
  const file = writeResults('lighthouse-', {
    kind: 'lighthouse',
    at: new Date().toISOString(),
    machine: machine(),
    config: { ...options, chromePath, chromeFlags: CHROME_FLAGS, server: server.command, lighthouse: '12.2.3 default (mobile) config' },
    corpus: setup.corpus,
    build: setup.build,
    pages: results,
  });
  console.log(`\nResults: ${file}`);
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  console.error(error instanceof UsageError ? `Error: ${error.message}\n\n${HELP}` : `[lighthouse] failed: ${(error as Error).stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
