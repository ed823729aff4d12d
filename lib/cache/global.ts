import type { PageCache } from './page-cache';

/**
 * The process's page cache lives on globalThis: the server (scripts/serve.ts) creates it, and
 * Next.js's cache handler and the app's bundles, which are separate module graphs in one process,
 * all reach the same one. Absent during builds and tests: nothing is cached there.
 */
const GLOBAL = Symbol.for('broadsheet.pageCache');
type WithCache = typeof globalThis & { [GLOBAL]?: PageCache };

export function installedPageCache(): PageCache | null {
  return (globalThis as WithCache)[GLOBAL] ?? null;
}

export function installPageCache(cache: PageCache | null): void {
  (globalThis as WithCache)[GLOBAL] = cache ?? undefined;
}
