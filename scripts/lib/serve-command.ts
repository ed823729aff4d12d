import { readFileSync } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';

const MB = 1024 * 1024;
/** The old space the measurements below were made with, and the least any server gets. */
export const MIN_HEAP_MB = 128;
/** Beyond this a larger heap only delays collections: the working set is far smaller. */
export const MAX_HEAP_MB = 2048;

type MemorySources = { readFile?: (file: string) => string; totalmem?: () => number };

/**
 * The memory this process may use: its cgroup's limit (v2 `memory.max` of the process's own
 * cgroup, else v1 `memory.limit_in_bytes`) when there is one below the machine's, else the
 * machine's total. A container's limit is what the kernel enforces, whatever `free` says.
 */
export function availableMemoryBytes({ readFile = (file) => readFileSync(file, 'utf8'), totalmem = os.totalmem }: MemorySources = {}): number {
  const total = totalmem();
  const read = (file: string): number | null => {
    try {
      const value = readFile(file).trim();
      return /^\d+$/.test(value) ? Number(value) : null; // "max": no limit
    } catch {
      return null;
    }
  };
  let own = '/';
  try {
    // cgroup v2: the line "0::/path" names this process's group.
    own =
      readFile('/proc/self/cgroup')
        .split('\n')
        .find((line) => line.startsWith('0::'))
        ?.slice(3)
        .trim() || '/';
  } catch {
    // Not Linux: no cgroups.
  }
  const limits = [
    read(`/sys/fs/cgroup${own === '/' ? '' : own}/memory.max`),
    read('/sys/fs/cgroup/memory.max'),
    read('/sys/fs/cgroup/memory/memory.limit_in_bytes'),
  ].filter((limit): limit is number => limit !== null && limit > 0);
  return Math.min(total, ...limits);
}

/**
 * The default old space for `available` bytes: a quarter of it (the rest is the young generation,
 * code, buffers outside the heap — sharp's, zlib's — an import's child process of up to ~450 MB,
 * and the embedded PostgreSQL), at least MIN_HEAP_MB and at most MAX_HEAP_MB, in steps of 16 MB.
 */
export function defaultHeapMb(available: number): number {
  const quarter = Math.floor(available / MB / 4 / 16) * 16;
  return Math.min(MAX_HEAP_MB, Math.max(MIN_HEAP_MB, quarter));
}

const heapSetting = z.coerce
  .number({ error: 'SERVER_HEAP_MB must be a whole number of megabytes' })
  .int('SERVER_HEAP_MB must be a whole number of megabytes')
  .min(64, 'SERVER_HEAP_MB must be at least 64');

/** SERVER_HEAP_MB when set (the old space in MB, as node's --max-old-space-size), else the default above. */
export function serverHeapMb(env: Record<string, string | undefined> = process.env, sources: MemorySources = {}): number {
  const raw = env.SERVER_HEAP_MB?.trim();
  if (!raw) return defaultHeapMb(availableMemoryBytes(sources));
  const parsed = heapSetting.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid environment: ${parsed.error.issues[0].message} (got ${JSON.stringify(raw)})`);
  return parsed.data;
}

/**
 * How every launcher starts the production server (npm start, npm run cluster, the tests, the
 * benchmark): one place, so the memory settings are the same everywhere.
 *
 * V8 otherwise lets the heap grow lazily under load: rendering 600 articles for the first time took
 * the process from 196 MB to 485 MB RSS, almost all garbage not yet collected. Measured with the
 * compiled server, 12 s of first-time article renders then 8 s of never-asked searches at 10
 * concurrent: old space 192 MB peaked at 310 MB RSS, 160 at 280, 144 at 258, 128 at 241 (and
 * ~18% fewer renders per second); young semi-spaces of 2 MB instead of 4 cost ~30%. The largest
 * body the pipeline accepts (990,000 characters, 0.5 s) renders with 60 MB of other live data even
 * under a 112 MB old space, so 128 leaves room. The 100,000-post benchmark peaked at 308-311 MB
 * RSS with either 144 or 128: the excess was outside the heap (kept compressed pages holding zlib's
 * 16 KB work buffers, lib/server/compress.ts). With that fixed it peaks at 263-266 MB. In the same
 * runs semi-spaces of 8 or 16 MB changed render rates by less than run-to-run noise.
 *
 * Measured again on 2026-12-07, with Next.js no longer loading every route at start (next.config.js,
 * preloadEntriesOnStart): four fresh servers on one build and a 1,000-post corpus, first reads of
 * articles 10 at a time, interleaved turns of 100 reads (8 turns each), three runs. Against no flags
 * (34.4-39.6 req/s, peak RSS 350-421 MB): old 128 + semi 4 0.76-0.79 (223-225 MB), old 128 + semi 8
 * 0.83, old 128 + semi 16 0.80-0.90 (234-243 MB), old 192 + semi 16 0.92, old 2048 + semi 4 0.94
 * (339 MB), old 128 + semi 32 0.42. The collector's pauses per read: 1.6-1.9 ms without flags,
 * 3.1-3.3 with semi 4, 1.8-2.1 with semi 16, 8.1 with semi 32. But the whole benchmark's server
 * (editor, publishes, 450 warm renders) peaked at 308 and 315 MB with semi 16, 295-300 MB with 4:
 * the young generation is three semi-spaces, and the 300 MB target holds only with the small one.
 * So 4 stays; what the flags cost is the benchmark's target 6 row.
 *
 * 128 MB is what those runs chose for the benchmark's site and machine. A production site with a
 * larger working set (more posts cached in memory, larger pages) would die of it, so the old space
 * is a setting, SERVER_HEAP_MB, by default a quarter of the memory the process may use (between 128
 * and 2048, serverHeapMb above). The benchmarks' RSS targets assume 128: run them with SERVER_HEAP_MB=128.
 */
export const SERVE_NODE_FLAGS = [`--max-old-space-size=${serverHeapMb()}`, '--max-semi-space-size=4'];

/**
 * The server as `npm run build` compiles it (scripts/build-server.mjs): scripts/serve.ts and its
 * lib/ imports in one module beside the Next.js build, run by plain node (no TypeScript loader).
 */
export const SERVER_FILE = `${process.env.NEXT_DIST_DIR || '.next'}/broadsheet-server.mjs`;

/** Arguments for `node` (process.execPath) that run the compiled server, from the project's root. */
export const SERVE_ARGS = [...SERVE_NODE_FLAGS, SERVER_FILE];

/** The same as one shell command (Playwright's webServer takes a string). */
export const SERVE_COMMAND = `node ${SERVE_ARGS.join(' ')}`;
