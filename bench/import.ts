/**
 * `npm run bench:import [-- options]`: generates a WordPress export (WXR 1.2) of 10,000 posts with
 * pages, images, comments and menus, streamed to a temp file, serves the old site's images from a
 * local HTTP server, and imports it with the real importer (lib/import/apply.ts) into a database of
 * its own, in a child process so its peak RSS is its own. Targets: under 60 s, under 500 MB peak RSS.
 * Then imports the same file again: everything must come back unchanged.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { IMPORT_NODE_FLAGS } from '@/lib/import/limits';
import { cleanup, installSignalHandlers, onCleanup } from './lib/cleanup';
import { freshBenchDatabase } from './lib/database';
import type { ChildResult } from './lib/import-child';
import { integer, UsageError } from './lib/options';
import { machine, table, writeResults } from './lib/report';
import { IMAGE_PATH, writeWxr, type WxrSummary } from './lib/wxr';

const TARGET_S = 60;
const TARGET_RSS_MB = 500;

const HELP = `usage: npm run bench:import [-- options]
  --quick          1,000 posts
  --posts N        posts in the generated export (default 10,000)
  --images N       attachments (images) on the old site (default 200)
  --seed N         generator seed (default 1)
  --no-rerun       skip the second (idempotence) import
  --threads N      worker threads for the bodies (default: the command line's rule, one per core)
  --cpu-prof       write a V8 CPU profile of the (first) import to a temp directory (printed)
  --keep           keep the generated export (its path is printed)`;

function readOptions() {
  let values;
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        quick: { type: 'boolean' },
        posts: { type: 'string' },
        images: { type: 'string' },
        seed: { type: 'string' },
        'no-rerun': { type: 'boolean' },
        threads: { type: 'string' },
        'cpu-prof': { type: 'boolean' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const quick = values.quick === true;
  return {
    quick,
    posts: integer(values, 'posts', quick ? 1_000 : 10_000, 1, 1_000_000),
    images: integer(values, 'images', 200, 1, 10_000),
    seed: integer(values, 'seed', 1, 0, 2 ** 31),
    rerun: values['no-rerun'] !== true,
    threads: values.threads === undefined ? null : integer(values, 'threads', 0, 0, 64),
    cpuProf: values['cpu-prof'] === true,
    keep: values.keep === true,
  };
}

/** Small distinct JPEGs (64×48, a different pattern each), made once, served by path. */
async function makeImages(count: number): Promise<Buffer[]> {
  const width = 64;
  const height = 48;
  const images: Buffer[] = [];
  for (let n = 1; n <= count; n += 1) {
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const i = (y * width + x) * 3;
        pixels[i] = (n * 53 + x * 3) & 255;
        pixels[i + 1] = (n * 97 + y * 4) & 255;
        pixels[i + 2] = (n * 31 + ((x >> 3) ^ (y >> 3)) * 40) & 255;
      }
    }
    images.push(
      await sharp(pixels, { raw: { width, height, channels: 3 } })
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
  }
  return images;
}

type ImageServer = { url: string; requests: () => number };

async function serveImages(images: Buffer[]): Promise<ImageServer> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests += 1;
    const match = IMAGE_PATH.exec(new URL(request.url ?? '/', 'http://x').pathname);
    const image = match ? images[Number(match[1]) - 1] : undefined;
    if (!image) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': image.length, 'cache-control': 'max-age=31536000' }).end(image);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  onCleanup(
    'image server',
    () => new Promise<void>((resolve) => server.close(() => resolve())),
    () => server.close(),
  );
  server.unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests };
}

type ChildRun = ChildResult & { wallMs: number };

/** One import in its own process; its stdout's JSON line is the result. */
function importInChild(file: string, databaseUrl: string, cpuProfDir: string | null, threads: number | null): Promise<ChildRun> {
  const args = [...IMPORT_NODE_FLAGS, '--conditions=react-server', '--import', 'tsx'];
  if (cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`);
  if (process.env.BENCH_IMPORT_GC === '1') args.push('--expose-gc');
  args.push(path.join('bench', 'lib', 'import-child.ts'), file);
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_QUERIES: 'false', ...(threads === null ? {} : { BENCH_IMPORT_THREADS: String(threads) }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const forget = onCleanup(
    'import child',
    () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
    () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      forget();
      const wallMs = Math.round(performance.now() - startedAt);
      const line = stdout
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{"totals"'));
      if (code !== 0 || !line) {
        reject(new Error(`the import exited with ${signal ?? `code ${code}`}${stdout.trim() ? `; its output:\n${stdout.trim().slice(-4000)}` : ''}`));
        return;
      }
      resolve({ ...(JSON.parse(line) as ChildResult), wallMs });
    });
  });
}

const KINDS = ['posts', 'pages', 'users', 'tags', 'media', 'redirects', 'navigation'] as const;
const s = (ms: number) => (ms / 1000).toFixed(1);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function tallyText(t: Record<string, number>): string {
  return (
    ['created', 'updated', 'unchanged', 'skipped']
      .filter((k) => t[k] > 0)
      .map((k) => `${t[k]} ${k}`)
      .join(', ') || 'none'
  );
}

function printFirst(wxr: WxrSummary, run: ChildRun, images: number) {
  const rssMb = run.maxRssKb / 1024;
  const rows: (string | number)[][] = [
    ['posts in the file', `${wxr.posts.toLocaleString('en')} (+ ${wxr.pages} pages, ${wxr.attachments} images, ${wxr.menuItems} menu items)`, '', ''],
    ['file size', `${(wxr.bytes / 1024 / 1024).toFixed(1)} MB`, '', ''],
    ['wall time (child process)', `${s(run.wallMs)} s`, `< ${TARGET_S} s`, verdict(run.wallMs < TARGET_S * 1000)],
    ['  of which runImport', `${s(run.durationMs)} s`, '', ''],
    ['worker threads', run.threads, '', ''],
    ['posts/s (posts + pages, wall)', ((wxr.posts + wxr.pages) / (run.wallMs / 1000)).toFixed(0), '', ''],
    ['peak RSS (child)', `${rssMb.toFixed(0)} MB`, `< ${TARGET_RSS_MB} MB`, verdict(rssMb < TARGET_RSS_MB)],
    ['image requests served', images, '', ''],
  ];
  console.log(`\n${table(['import', 'value', 'target', ''], rows)}`);
  const totals = run.totals;
  console.log(
    `\n${table(
      ['report', 'totals'],
      [
        ...KINDS.map((k) => [k, tallyText(totals[k])]),
        ['comments', `${totals.comments} counted (generated: ${wxr.comments}, + ${wxr.spamComments} spam)`],
        ['entries with problems', run.entriesWithProblems],
        ['images left remote', run.remoteImages],
      ],
    )}`,
  );
  let previous = 0;
  const phaseRows = [
    ['node + modules', `${run.startupMs} ms`, '', '', ''],
    ...run.phases.map((p) => {
      const row = [p.phase, `${p.atMs - previous} ms`, `${p.rssMb} MB`, `${p.heapMb} / ${p.heapTotalMb} MB`, `${p.externalMb} MB`];
      previous = p.atMs;
      return row;
    }),
  ];
  console.log(`\n${table(['phase (ends at)', 'took', 'RSS then', 'heap used / total', 'external'], phaseRows)}`);
  if (run.problemKinds.length > 0) {
    console.log(
      `\n${table(
        ['problems in entries, by kind', 'count'],
        run.problemKinds.map((k) => [k.problem.slice(0, 110), k.count]),
      )}`,
    );
  }
  if (run.sql) {
    console.log(
      `\n${table(
        ['SQL (BENCH_IMPORT_SQL=1), by statement', 'count', 'waited'],
        run.sql.map((q) => [q.shape, q.count, `${q.ms} ms`]),
      )}`,
    );
  }
  if (run.problems.length > 0) console.log(`\nReport problems (first ${run.problems.length}):\n${run.problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** Every tally of a re-run must be all unchanged (or skipped, as the first time). */
function changesOf(second: ChildRun, first: ChildRun): string[] {
  const changes: string[] = [];
  for (const k of KINDS) {
    const t = second.totals[k];
    if (t.created > 0 || t.updated > 0) changes.push(`${k}: ${tallyText(t)}`);
    else if (t.skipped !== first.totals[k].skipped) changes.push(`${k}: skipped ${t.skipped}, first run ${first.totals[k].skipped}`);
  }
  return changes;
}

installSignalHandlers();
let exitCode = 0;
try {
  const options = readOptions();
  const startedAt = new Date();
  const loadAverageAtStart = machine().loadAverage;

  const db = await freshBenchDatabase('import');
  onCleanup('database', () => db.server.release());
  console.log(`[import] database ${db.name}${db.embedded ? ' (embedded)' : ''}`);

  let t = performance.now();
  const server = await serveImages(await makeImages(options.images));
  console.log(`[import] ${options.images} images on ${server.url} (${Math.round(performance.now() - t)} ms)`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-bench-import-'));
  if (!options.keep) onCleanup('export file', () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'export.xml');
  t = performance.now();
  const wxr = await writeWxr({ file, siteUrl: server.url, posts: options.posts, seed: options.seed, images: options.images });
  const generateMs = Math.round(performance.now() - t);
  console.log(
    `[import] generated ${file}: ${wxr.posts} posts, ${wxr.pages} pages, ${(wxr.bytes / 1024 / 1024).toFixed(1)} MB, ${Math.round(wxr.words / (wxr.posts + wxr.pages))} words on average (${generateMs} ms)`,
  );

  console.log('[import] importing…');
  const cpuProfDir = options.cpuProf ? mkdtempSync(path.join(os.tmpdir(), 'broadsheet-import-prof-')) : null;
  const first = await importInChild(file, db.url, cpuProfDir, options.threads);
  const firstRequests = server.requests();
  printFirst(wxr, first, firstRequests);
  if (cpuProfDir) console.log(`\nCPU profile in ${cpuProfDir}/ (open in Chrome DevTools → Performance)`);

  let second: ChildRun | null = null;
  let changes: string[] = [];
  if (options.rerun) {
    console.log('\n[import] importing the same file again…');
    second = await importInChild(file, db.url, null, options.threads);
    changes = changesOf(second, first);
    console.log(
      `\n${table(
        ['re-run', 'value'],
        [
          ['wall time', `${s(second.wallMs)} s (runImport ${s(second.durationMs)} s)`],
          ['peak RSS', `${(second.maxRssKb / 1024).toFixed(0)} MB`],
          ['image requests', server.requests() - firstRequests],
          ...KINDS.map((k) => [k, tallyText(second!.totals[k])]),
          ['everything unchanged', changes.length === 0 ? 'yes' : `NO: ${changes.join('; ')}`],
        ],
      )}`,
    );
  }

  const passed = first.wallMs < TARGET_S * 1000 && first.maxRssKb / 1024 < TARGET_RSS_MB;
  const results = {
    kind: 'bench:import',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine(), loadAverageAtStart },
    config: options,
    database: { name: db.name, embedded: db.embedded },
    export: { ...wxr, generateMs },
    targets: { wallS: TARGET_S, peakRssMb: TARGET_RSS_MB },
    first: { ...first, postsPerSecond: (wxr.posts + wxr.pages) / (first.wallMs / 1000), peakRssMb: first.maxRssKb / 1024, imageRequests: firstRequests, passed },
    rerun: second ? { ...second, unchanged: changes.length === 0, changes } : null,
  };
  console.log(`\nResults: ${writeResults('import-', results)}`);
  if (options.keep) console.log(`Export kept: ${file}`);
  if (second && changes.length > 0) exitCode = 1;
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  console.error(error instanceof UsageError ? `Error: ${error.message}\n\n${HELP}` : `[bench:import] failed: ${(error as Error).stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
