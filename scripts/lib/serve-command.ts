/**
 * How every launcher starts the production server (npm start, npm run cluster, the tests, the
 * benchmark): one place, so the memory settings are the same everywhere.
 *
 * V8 otherwise lets the heap grow lazily under load: rendering 600 articles for the first time took
 * the process from 196 MB to 485 MB RSS, almost all garbage not yet collected. A 192 MB old space
 * and 4 MB young semi-spaces kept the same run at about 300 MB at the same throughput; a 600 KB
 * markdown render (the largest the pipeline accepts in time) peaks near 100 MB of heap, within it.
 */
export const SERVE_NODE_FLAGS = ['--max-old-space-size=192', '--max-semi-space-size=4'];

/**
 * The server as `npm run build` compiles it (scripts/build-server.mjs): scripts/serve.ts and its
 * lib/ imports in one module beside the Next.js build, run by plain node (no TypeScript loader).
 */
export const SERVER_FILE = `${process.env.NEXT_DIST_DIR || '.next'}/broadsheet-server.mjs`;

/** Arguments for `node` (process.execPath) that run the compiled server, from the project's root. */
export const SERVE_ARGS = [...SERVE_NODE_FLAGS, SERVER_FILE];

/** The same as one shell command (Playwright's webServer takes a string). */
export const SERVE_COMMAND = `node ${SERVE_ARGS.join(' ')}`;
