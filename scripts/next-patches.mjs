/**
 * The one change Broadsheet makes to the installed Next.js, applied after every install
 * (package.json "postinstall"; the Dockerfile copies this file before its first `npm ci`).
 *
 * Next.js's IncrementalCache.set measures every value it stores with `JSON.stringify(value).length`,
 * for a size limit it only applies to the fetch cache. A rendered page is stored too, and its flight
 * data is a Buffer, which JSON.stringify turns into an array of one number per byte before writing
 * it out: 8% of the CPU of a first read of an article in a profile (2026-12-06: 1.28 s of 15.8 s over
 * 320 first reads), and that much garbage again for the collector. The patch measures only when the
 * measure is used: `let i=r.fetchCache?JSON.stringify(t).length:0;if(r.fetchCache&&i>2097152…`,
 * and `i` is read nowhere else, so Next.js behaves exactly as before. Next.js 16.5.0 still has the
 * line.
 *
 * Idempotent. A file Next.js no longer writes that way is left alone with a warning rather than
 * failing the install; tests/unit/next-contract.test.ts ("the installed Next.js carries the patch")
 * fails instead, by name, so an upgrade either keeps the patch or drops it knowingly.
 *
 * `node scripts/next-patches.mjs --check` changes nothing and exits 1 when a file is not patched.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The minified line in the compiled runtimes (names differ between builds, so they are captured). */
const COMPILED = /let (\w+)=JSON\.stringify\((\w+)\)\.length;if\((\w+)\.fetchCache&&\1>2097152/g;
const COMPILED_PATCHED = /let (\w+)=(\w+)\.fetchCache\?JSON\.stringify\((\w+)\)\.length:0;if\(\2\.fetchCache&&\1>2097152/;
/** The same line in the uncompiled server (the development server and tools load it). */
const SOURCE = 'const itemSize = JSON.stringify(data).length;';
const SOURCE_PATCHED = 'const itemSize = ctx.fetchCache ? JSON.stringify(data).length : 0;';

/** Every file of the installed Next.js that holds IncrementalCache.set, with how to patch it. */
export function patchTargets(nextDir) {
  const compiledDir = path.join(nextDir, 'dist/compiled/next-server');
  const compiled = readdirSync(compiledDir)
    .filter((name) => name.endsWith('.runtime.prod.js'))
    .map((name) => path.join(compiledDir, name))
    .filter((file) => {
      const text = readFileSync(file, 'utf8');
      return text.includes('Failed to set Next.js data cache for');
    });
  return [...compiled.map((file) => ({ file, kind: 'compiled' })), { file: path.join(nextDir, 'dist/server/lib/incremental-cache/index.js'), kind: 'source' }];
}

/** Whether a file's text carries the patch. */
export function isPatched(text, kind) {
  return kind === 'source' ? text.includes(SOURCE_PATCHED) : COMPILED_PATCHED.test(text);
}

/** The file's text patched, or null when it does not hold the line (already patched: `patched`). */
export function patchText(text, kind) {
  if (isPatched(text, kind)) return { text, patched: true };
  const patched =
    kind === 'source'
      ? text.replace(SOURCE, SOURCE_PATCHED)
      : text.replace(COMPILED, 'let $1=$3.fetchCache?JSON.stringify($2).length:0;if($3.fetchCache&&$1>2097152');
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
  for (const { file, kind } of patchTargets(nextDir)) {
    const text = readFileSync(file, 'utf8');
    const result = patchText(text, kind);
    const name = path.relative(nextDir, file);
    if (!result) {
      missing += 1;
      console.warn(`[next-patches] ${name}: IncrementalCache.set no longer measures every value this way; not patched (see scripts/next-patches.mjs)`);
    } else if (!result.patched) {
      if (check) missing += 1;
      else writeFileSync(file, result.text);
    }
  }
  return check && missing > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
