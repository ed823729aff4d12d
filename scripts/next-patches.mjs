/**
 * The two changes Broadsheet makes to the installed Next.js, applied after every install
 * (package.json "postinstall"; the Dockerfile copies this file before its first `npm ci`). Each
 * removes work whose result nothing reads, so Next.js behaves as before.
 *
 * 1. `measure-only-fetch-cache`. IncrementalCache.set measures every value it stores with
 *    `JSON.stringify(value).length`, for a size limit it only applies to the fetch cache. A rendered
 *    page is stored too, and its flight data is a Buffer, which JSON.stringify turns into an array of
 *    one number per byte before writing it out: 8% of the CPU of a first read of an article in a
 *    profile (2026-12-06: 1.28 s of 15.8 s over 320 first reads), and that much garbage again for the
 *    collector. The patch measures only when the measure is used:
 *    `let i=r.fetchCache?JSON.stringify(t).length:0;if(r.fetchCache&&i>2097152…`, and `i` is read
 *    nowhere else. Next.js 16.5.0 still has the line.
 *
 * 2. `no-runtime-segment-data`. Every render of a cached page (`revalidate`) decodes its whole flight
 *    data again to cut it into per-segment prefetch responses (`collectSegmentData`), for the client
 *    router's segment cache, and the page cache stores them beside the page (38 KB of a 170 KB
 *    article entry). Readers' pages carry no scripts (components/site/no-scripts.tsx): no client
 *    router ever prefetches them, and the editor's links to the site are plain links. Skipping it
 *    at runtime made first reads of articles 14% faster (45.7 → 52.2 req/s, three pairs of runs of
 *    600 first reads each, 2026-12-07). Prerenders at build time (`isBuildTimePrerendering`) still
 *    collect it. A segment prefetch of an entry without segment data is answered with the page's
 *    whole flight data, what Next.js sends a navigation (no page of ours asks for one).
 *
 * Idempotent. A file Next.js no longer writes that way is left alone with a warning rather than
 * failing the install; tests/unit/next-contract.test.ts ("the installed Next.js carries the
 * patches") fails instead, by name, so an upgrade either keeps a patch or drops it knowingly.
 *
 * `node scripts/next-patches.mjs --check` changes nothing and exits 1 when a file is not patched.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Each patch: the minified line in the compiled runtimes (names differ between builds, so they are
 * captured) and the same line in the uncompiled server (the development server and tools load it).
 */
export const PATCHES = {
  'measure-only-fetch-cache': {
    what: 'IncrementalCache.set measures a stored value only for the fetch cache',
    marker: 'Failed to set Next.js data cache for',
    source: 'dist/server/lib/incremental-cache/index.js',
    compiled: /let (\w+)=JSON\.stringify\((\w+)\)\.length;if\((\w+)\.fetchCache&&\1>2097152/g,
    compiledWith: 'let $1=$3.fetchCache?JSON.stringify($2).length:0;if($3.fetchCache&&$1>2097152',
    compiledPatched: /let (\w+)=(\w+)\.fetchCache\?JSON\.stringify\((\w+)\)\.length:0;if\(\2\.fetchCache&&\1>2097152/,
    sourceLine: 'const itemSize = JSON.stringify(data).length;',
    sourcePatched: 'const itemSize = ctx.fetchCache ? JSON.stringify(data).length : 0;',
  },
  'no-runtime-segment-data': {
    what: 'a render at runtime collects no segment prefetch data',
    marker: '.collectSegmentData(',
    source: 'dist/server/app-render/app-render.js',
    compiled: /(\w+)\.segmentData=await (\w+)\.collectSegmentData\((\w+)\.cacheComponents,/g,
    compiledWith: '$1.segmentData=!$3.isBuildTimePrerendering?void 0:await $2.collectSegmentData($3.cacheComponents,',
    compiledPatched: /(\w+)\.segmentData=!(\w+)\.isBuildTimePrerendering\?void 0:await (\w+)\.collectSegmentData\(\2\.cacheComponents,/,
    sourceLine: 'metadata.segmentData = await ComponentMod.collectSegmentData(',
    sourcePatched: 'metadata.segmentData = !renderOpts.isBuildTimePrerendering ? undefined : await ComponentMod.collectSegmentData(',
  },
};

/** Every file of the installed Next.js that holds a patch's line, with which patch and how. */
export function patchTargets(nextDir) {
  const compiledDir = path.join(nextDir, 'dist/compiled/next-server');
  const runtimes = readdirSync(compiledDir)
    .filter((name) => name.endsWith('.runtime.prod.js'))
    .map((file) => ({ file: path.join(compiledDir, file), text: readFileSync(path.join(compiledDir, file), 'utf8') }));
  return Object.entries(PATCHES).flatMap(([patch, { marker, source }]) => [
    ...runtimes.filter(({ text }) => text.includes(marker)).map(({ file }) => ({ file, patch, kind: 'compiled' })),
    { file: path.join(nextDir, source), patch, kind: 'source' },
  ]);
}

/** Whether a file's text carries the patch. */
export function isPatched(text, patch, kind) {
  const p = PATCHES[patch];
  return kind === 'source' ? text.includes(p.sourcePatched) : p.compiledPatched.test(text);
}

/** The file's text patched, or null when it does not hold the line (already patched: `patched`). */
export function patchText(text, patch, kind) {
  if (isPatched(text, patch, kind)) return { text, patched: true };
  const p = PATCHES[patch];
  const patched = kind === 'source' ? text.replace(p.sourceLine, p.sourcePatched) : text.replace(p.compiled, p.compiledWith);
  return patched === text ? null : { text: patched, patched: false };
}

function main() {
  const check = process.argv.includes('--check');
  let nextDir;
  try {
    nextDir = path.dirname(createRequire(import.meta.url).resolve('next/package.json'));
  } catch {
    return 0; // Next.js is not installed (an install that omits it): nothing to patch.
  }
  let missing = 0;
  for (const { file, patch, kind } of patchTargets(nextDir)) {
    const text = readFileSync(file, 'utf8');
    const result = patchText(text, patch, kind);
    const name = path.relative(nextDir, file);
    if (!result) {
      missing += 1;
      console.warn(`[next-patches] ${name}: no longer holds the line of "${patch}" (${PATCHES[patch].what}); not patched (see scripts/next-patches.mjs)`);
    } else if (!result.patched) {
      if (check) missing += 1;
      else writeFileSync(file, result.text);
    }
  }
  return check && missing > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
