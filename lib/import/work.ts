/**
 * Where an import's CPU-bound work runs: converting bodies while the export is read, rendering
 * them while they are written (./work-tasks.ts). An export of 10,000 posts is ~80 s of that work on
 * one core; with worker threads (piscina) it spreads over the machine's cores while the import's
 * own thread parses the file and talks to PostgreSQL. Small imports and tests run it inline.
 */
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Piscina } from 'piscina';
import type { RenderOutcome } from './work-tasks';
import type { BodyConversion, ConvertedBody } from './types';

export type BodyWork = {
  convert: (...args: Parameters<BodyConversion>) => Promise<ConvertedBody>;
  render: (markdown: string) => Promise<RenderOutcome>;
  /** What a parser awaits between chunks: resolves when fewer than `MAX_IN_FLIGHT` conversions wait. */
  room: () => Promise<void>;
  close: () => Promise<void>;
};

/** An export this large (about 300 posts) is worth the threads' start (~0.5 s): one per core. */
const THREADED_BYTES = 3_000_000;

/** How many worker threads an import of an export of `bytes` uses (the command line's and the bench's rule). */
export function threadsFor(bytes: number): number {
  return bytes >= THREADED_BYTES ? os.availableParallelism() : 0;
}

/**
 * Conversions queued at most while the parser reads on: each holds its source HTML (a few KB to a
 * few hundred), and the parser outruns the threads several times over, so without a bound a large
 * export would sit in memory as queued HTML.
 */
const MAX_IN_FLIGHT = 64;

/** One task at a time, each in a turn of its own, so the queries of a batch in flight get their turns. */
export function inlineBodyWork(): BodyWork {
  let chain: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => T | Promise<T>): Promise<T> => {
    const result = chain.then(() => new Promise((resolve) => setImmediate(resolve))).then(work);
    chain = result.catch(() => undefined);
    return result;
  };
  // Loaded here only: with threads, this thread never needs the pipelines (~50 MB of code and data).
  const tasks = import('./work-tasks');
  return {
    convert: (html, options) => inTurn(async () => (await tasks).convert({ html, options })),
    render: (markdown) => inTurn(async () => (await tasks).render(markdown)),
    room: async () => undefined,
    close: async () => undefined,
  };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The threads' code: ./work-tasks.ts and what it imports from lib/, compiled by esbuild into one
 * ES module under node_modules/.cache (so its packages resolve from node_modules), one per process.
 * Why not tsx, as the import's own thread: a worker does not inherit its hooks, and registering
 * them in each thread cost ~60 MB of RSS per thread (a loader thread and source maps of its own);
 * peak RSS of the 1,000-post bench 464 MB with tsx in two threads, 454 MB compiled (10,000 posts: 420 and 310 MB
 * when reading ends).
 */
async function compileTasks(): Promise<{ file: string; remove: () => Promise<void> }> {
  const file = path.join(ROOT, 'node_modules', '.cache', 'broadsheet', `import-work-${process.pid}.mjs`);
  await mkdir(path.dirname(file), { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'lib', 'import', 'work-tasks.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  return { file, remove: () => rm(file, { force: true }) };
}

/** `threads` worker threads; `close()` ends them (an import awaits it before it returns). */
export async function threadedBodyWork(threads: number): Promise<BodyWork> {
  const tasks = await compileTasks();
  const pool = new Piscina({
    filename: pathToFileURL(tasks.file).href,
    minThreads: threads,
    maxThreads: threads,
    // Plain JavaScript: none of the import's own flags (tsx, conditions) are needed there.
    execArgv: [],
  });
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const settle = () => {
    inFlight -= 1;
    if (inFlight < MAX_IN_FLIGHT) waiting.splice(0).forEach((wake) => wake());
  };
  return {
    convert: (html, options) => {
      inFlight += 1;
      const result = pool.run({ html, options }, { name: 'convert' }) as Promise<ConvertedBody>;
      result.then(settle, settle);
      return result;
    },
    render: (markdown) => pool.run(markdown, { name: 'render' }) as Promise<RenderOutcome>,
    room: () => (inFlight < MAX_IN_FLIGHT ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    close: async () => {
      await pool.destroy();
      await tasks.remove();
    },
  };
}
