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
 */
export const SERVE_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];

/**
 * The server as `npm run build` compiles it (scripts/build-server.mjs): scripts/serve.ts and its
 * lib/ imports in one module beside the Next.js build, run by plain node (no TypeScript loader).
 */
export const SERVER_FILE = `${process.env.NEXT_DIST_DIR || '.next'}/broadsheet-server.mjs`;

/** Arguments for `node` (process.execPath) that run the compiled server, from the project's root. */
export const SERVE_ARGS = [...SERVE_NODE_FLAGS, SERVER_FILE];

/** The same as one shell command (Playwright's webServer takes a string). */
export const SERVE_COMMAND = `node ${SERVE_ARGS.join(' ')}`;
