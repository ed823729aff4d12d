/**
 * `node --conditions=react-server --import tsx bench/lib/import-child.ts FILE`: imports a WordPress
 * export into DATABASE_URL (media on) and prints ONE JSON line: the report's totals, its duration,
 * this process's peak RSS (the whole child, so the parent's own memory never counts) and when each
 * phase ended, with the memory at that moment. Run by bench/import.ts.
 */
import { createReadStream, statSync } from 'node:fs';
import { closeDb } from '@/db/client';
import { runImport, type ImportProgress } from '@/lib/import/apply';
import { threadsFor } from '@/lib/import/work';

export type PhaseMark = { phase: string; atMs: number; rssMb: number; heapMb: number; heapTotalMb: number; externalMb: number };

export type ChildResult = {
  totals: Awaited<ReturnType<typeof runImport>>['totals'];
  durationMs: number;
  /** process.resourceUsage().maxRSS: kilobytes. */
  maxRssKb: number;
  entries: number;
  /** Worker threads that converted and rendered the bodies (the command line's rule, or --threads). */
  threads: number;
  entriesWithProblems: number;
  /** The entries' problems by kind (numbers, addresses and quoted text masked), most frequent first. */
  problemKinds: { problem: string; count: number }[];
  problems: string[];
  remoteImages: number;
  /** Since the child started running this file (after its modules loaded). */
  phases: PhaseMark[];
  /** From the process's start to this file running: node, tsx and the modules loading. */
  startupMs: number;
  /** With BENCH_IMPORT_SQL=1: time waited per statement shape (from send to answer), most first. */
  sql?: { shape: string; count: number; ms: number }[];
};

const file = process.argv[2];
if (!file) {
  console.error('usage: import-child.ts FILE');
  process.exit(2);
}

// Before the pool's first client: pg is one module instance for the whole process.
const sqlReport = process.env.BENCH_IMPORT_SQL === '1' ? (await import('./sql-timing')).timeQueries() : null;

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const started = performance.now();
const phases: PhaseMark[] = [];
// BENCH_IMPORT_GC=1 (the parent adds --expose-gc): a full collection before each mark, so "heap
// used" is what is live then, not garbage waiting for a collection. Changes the peak; diagnosis only.
const gc = (globalThis as { gc?: () => void }).gc;
const mark = (phase: string) => {
  if (gc && process.env.BENCH_IMPORT_GC === '1') gc();
  const memory = process.memoryUsage();
  phases.push({
    phase,
    atMs: Math.round(performance.now() - started),
    rssMb: mb(memory.rss),
    heapMb: mb(memory.heapUsed),
    heapTotalMb: mb(memory.heapTotal),
    externalMb: mb(memory.external),
  });
};
// Each phase reports its end with done === total: `reading` once, when the whole file is read and
// converted; `images` per image fetched; `writing` every 50 entries (it starts with the media and
// the users and tags). After `writing done`: redirects, menus, the audit entry and the commit.
const ended = new Set<string>();
const onProgress = (progress: ImportProgress) => {
  if (progress.done === progress.total && !ended.has(progress.phase)) {
    ended.add(progress.phase);
    mark(`${progress.phase} done`);
  }
};

function problemKinds(problems: string[]): { problem: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const problem of problems) {
    const kind = problem
      .replace(/https?:\/\/\S+/g, 'URL')
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\d+/g, 'N');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([problem, count]) => ({ problem, count }));
}

// BENCH_IMPORT_THREADS (the parent's --threads) overrides the command line's rule, to compare.
const threads = process.env.BENCH_IMPORT_THREADS ? Number(process.env.BENCH_IMPORT_THREADS) : threadsFor(statSync(file).size);

let exitCode = 0;
mark('modules loaded');
try {
  const report = await runImport({
    from: 'wordpress',
    input: createReadStream(file),
    dryRun: false,
    media: true,
    siteUrl: null,
    actorId: null,
    onProgress,
    threads,
  });
  mark('committed');
  const result: ChildResult = {
    totals: report.totals,
    durationMs: report.durationMs,
    maxRssKb: process.resourceUsage().maxRSS,
    entries: report.entries.length,
    threads,
    entriesWithProblems: report.entries.filter((entry) => entry.problems.length > 0).length,
    problemKinds: problemKinds(report.entries.flatMap((entry) => entry.problems)),
    problems: report.problems.slice(0, 20),
    remoteImages: report.remoteImages.length,
    phases,
    startupMs: Math.round(started),
    ...(sqlReport ? { sql: sqlReport() } : {}),
  };
  console.log(JSON.stringify(result));
} catch (error) {
  console.error(`[import-child] ${(error as Error).stack ?? error}`);
  exitCode = 1;
} finally {
  await closeDb();
}
process.exit(exitCode);
