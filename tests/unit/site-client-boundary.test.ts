/**
 * The reader's pages (app/(site)) ship no JavaScript of ours: the server renders them whole. A
 * client component ('use client') reachable from them would still work under `npm run dev` and in
 * the browser, but breaks that promise (and the page cache's pages would carry a bundle). This
 * walks the static imports from every module under app/(site) — relative paths and '@/…' (the
 * tsconfig path to the root), not packages — and fails naming the chain to the first 'use client'
 * module it reaches.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const site = path.join(root, 'app', '(site)');
const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs'];

function* modulesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* modulesUnder(full);
    else if (EXTENSIONS.includes(path.extname(entry.name))) yield full;
  }
}

/** The file a specifier names (with TypeScript's extension and index rules), or null for a package. */
function resolveImport(specifier: string, from: string): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith('./') || specifier.startsWith('../')) base = path.resolve(path.dirname(from), specifier);
  else return null;
  const candidates = [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

/** Static imports and re-exports (`import … from`, `import '…'`, `export … from`), not `import type`. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** The 'use client' directive: the module's first statement (after comments). */
function isClientModule(source: string): boolean {
  const body = source.replace(/^(?:\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, '');
  return /^['"]use client['"]/.test(body);
}

/** Each chain from a module under app/(site) to a client module, e.g. "app/(site)/page.tsx → components/x.tsx". */
function clientChains(entries: string[]): string[] {
  const chains: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const here = [...chain, path.relative(root, file)];
    if (isClientModule(source)) {
      chains.push(here.join(' → '));
      return;
    }
    for (const specifier of importsOf(source)) {
      const target = resolveImport(specifier, file);
      if (target) visit(target, here);
    }
  };
  for (const entry of entries) visit(entry, []);
  return chains;
}

describe('app/(site) reaches no client component', () => {
  it('finds the directive and follows imports (the check itself)', () => {
    expect(isClientModule("'use client';\nexport const x = 1;")).toBe(true);
    expect(isClientModule('/** doc */\n// note\n"use client"\n')).toBe(true);
    expect(isClientModule("import 'server-only';\n'use client';")).toBe(false);
    expect(importsOf("import a from '@/lib/a';\nimport type { B } from './b';\nexport { c } from '../c';\nimport './d.css';")).toEqual([
      '@/lib/a',
      '../c',
      './d.css',
    ]);
    expect(resolveImport('@/scripts/lib/serve-command', path.join(root, 'x.ts'))).toBe(path.join(root, 'scripts/lib/serve-command.ts'));
    expect(resolveImport('next/link', path.join(root, 'x.ts'))).toBeNull();
    const clientModule = path.join(root, 'components/editor/post-editor.tsx');
    expect(clientChains([clientModule])).toEqual(['components/editor/post-editor.tsx']);
  });

  it('no module under app/(site) imports, directly or through others, a module marked use client', () => {
    const entries = [...modulesUnder(site)];
    expect(entries.length).toBeGreaterThan(5);
    expect(clientChains(entries)).toEqual([]);
  });
});
