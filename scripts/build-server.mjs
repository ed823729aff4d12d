// @ts-check
/**
 * The second half of `npm run build` (after `next build`): compiles the production server
 * (scripts/serve.ts and what it imports from lib/) into one ES module beside the Next.js build,
 * `<distDir>/broadsheet-server.mjs`, which `node` runs as it is. Packages stay external (resolved
 * from node_modules at run time, the same copies Next.js uses).
 *
 * Why not run the TypeScript through tsx, as the other scripts do: tsx's loader stays in the
 * server process, keeps source maps of everything loaded (Next.js's bundles included) and puts a
 * loader thread in the path of the dynamic import Next.js makes on every request. Measured: idle
 * RSS 170 → 104 MB, after a cold-render load 320 → 240 MB.
 */
import { build } from 'esbuild';
import path from 'node:path';

const distDir = process.env.NEXT_DIST_DIR || '.next';
export const serverFile = path.join(distDir, 'broadsheet-server.mjs');

/**
 * `server-only` is a marker for bundlers: the package throws unless resolved with the react-server
 * condition, which Next.js gives its server bundles and our CLIs their node (`--conditions`). The
 * server runs lib/ code that carries the marker (the job worker's tasks) under plain node, so the
 * marker compiles to nothing here, as it does in Next.js's server bundles.
 */
const serverOnlyIsEmpty = {
  name: 'server-only-is-empty',
  setup(build) {
    build.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
  },
};

await build({
  entryPoints: ['scripts/serve.ts'],
  outfile: serverFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [serverOnlyIsEmpty],
});
console.log(`[build] server compiled to ${serverFile}`);
