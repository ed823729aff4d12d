/** Decides whether the production build is missing or older than the sources it was built from. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
// The compiled server (scripts/build-server.mjs) is part of the build: its entry and builder are sources too.
const SOURCES = [
  'app',
  'components',
  'lib',
  'db',
  'public',
  'next.config.js',
  'package-lock.json',
  'tsconfig.json',
  'proxy.ts',
  'scripts/serve.ts',
  'scripts/build-server.mjs',
];
const distDir = path.join(root, process.env.NEXT_DIST_DIR || '.next');
const stampFile = path.join(distDir, 'broadsheet-build-hash');

function* files(entry: string): Generator<string> {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) yield* files(path.join(entry, name));
  } else {
    yield entry;
  }
}

export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const entry of SOURCES) {
    for (const file of files(entry)) {
      hash
        .update(file)
        .update('\0')
        .update(readFileSync(path.join(root, file)))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

export function buildIsFresh(): boolean {
  if (!existsSync(path.join(distDir, 'BUILD_ID')) || !existsSync(path.join(distDir, 'broadsheet-server.mjs')) || !existsSync(stampFile)) return false;
  return readFileSync(stampFile, 'utf8').trim() === sourceHash();
}

export function markBuilt(): void {
  writeFileSync(stampFile, sourceHash());
}
