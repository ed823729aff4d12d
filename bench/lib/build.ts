/**
 * The production build the benchmark measures: built when missing or older than the sources (the
 * same rule as `npm start`), always with `--build`, never with `--no-build`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIsFresh, markBuilt } from '../../scripts/lib/build-state';
import { run } from '../../scripts/lib/run';

export type BuildMode = 'auto' | 'always' | 'never';
export type BuildReport = { built: boolean; fresh: boolean; seconds: number; distDir: string };

const root = path.resolve(import.meta.dirname, '../..');
const tsconfigFile = path.join(root, 'tsconfig.json');

export function distDir(): string {
  return process.env.NEXT_DIST_DIR || '.next';
}

/**
 * `next build` with a NEXT_DIST_DIR adds `<dir>/types/**` lines to tsconfig.json's include list.
 * Remove exactly the lines this build added (and nothing anyone else changed meanwhile), so the
 * working tree is left as it was and the source hash, which covers tsconfig.json, stays valid.
 */
function undoTsconfigRewrite(before: string): void {
  const dir = distDir();
  if (dir === '.next') return;
  const after = readFileSync(tsconfigFile, 'utf8');
  if (after === before) return;
  const known = new Set(before.split('\n'));
  const ours = (line: string) => !known.has(line) && line.trim().startsWith(`"${dir}/`);
  const lines = after.split('\n');
  const kept = lines.filter((line) => !ours(line));
  if (kept.length === lines.length) return;
  // The entry before the removed ones may now end the array: JSON allows no trailing comma.
  const text = kept.join('\n').replace(/,(\s*\n\s*\])/g, '$1');
  writeFileSync(tsconfigFile, text);
  console.log(`[build] removed the ${lines.length - kept.length} tsconfig.json include line(s) next build added for ${dir}`);
}

export async function ensureBuild(mode: BuildMode, env: NodeJS.ProcessEnv): Promise<BuildReport> {
  const fresh = buildIsFresh();
  if (mode === 'never' && !existsSync(path.join(root, distDir(), 'BUILD_ID'))) {
    throw new Error(`--no-build, but there is no build in ${distDir()}: run without --no-build once`);
  }
  if (mode === 'never' || (mode === 'auto' && fresh)) {
    if (!fresh) console.log(`[build] --no-build: using the existing build in ${distDir()} although it is older than the sources`);
    else console.log(`[build] the build in ${distDir()} is fresh: not rebuilding`);
    return { built: false, fresh, seconds: 0, distDir: distDir() };
  }
  console.log(`[build] next build into ${distDir()} (${fresh ? 'forced with --build' : 'missing or older than the sources'})`);
  const started = performance.now();
  const tsconfigBefore = readFileSync(tsconfigFile, 'utf8');
  const code = await run('npm', ['run', 'build'], { env: { ...env, NODE_ENV: 'production' } });
  undoTsconfigRewrite(tsconfigBefore);
  if (code !== 0) throw new Error(`next build failed (exit code ${code})`);
  markBuilt();
  return { built: true, fresh: true, seconds: Math.round((performance.now() - started) / 100) / 10, distDir: distDir() };
}
