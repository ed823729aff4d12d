import { randomBytes } from 'node:crypto';
import type { Change, PageCache } from './page-cache';

/**
 * The process's page cache lives on globalThis: the server (scripts/serve.ts) creates it, and
 * Next.js's cache handler and the app's bundles, which are separate module graphs in one process,
 * all reach the same one. Absent during builds and tests: nothing is cached there. So do the
 * server's warmer (lib/server/warm.ts) and this process's name in the notifications it sends.
 */
const GLOBAL = Symbol.for('broadsheet.pageCache');
const WARMER = Symbol.for('broadsheet.warmer');
const ORIGIN = Symbol.for('broadsheet.origin');
export type WarmChange = (change: Change, paths: string[]) => void;
type WithCache = typeof globalThis & { [GLOBAL]?: PageCache; [WARMER]?: WarmChange; [ORIGIN]?: string };

export function installedPageCache(): PageCache | null {
  return (globalThis as WithCache)[GLOBAL] ?? null;
}

export function installPageCache(cache: PageCache | null): void {
  (globalThis as WithCache)[GLOBAL] = cache ?? undefined;
}

/** What renders the pages a change made stale again, in this process (the server's), if any. */
export function installedWarmer(): WarmChange | null {
  return (globalThis as WithCache)[WARMER] ?? null;
}

export function installWarmer(warm: WarmChange | null): void {
  (globalThis as WithCache)[WARMER] = warm ?? undefined;
}

/**
 * This process's name in the change notifications it sends (lib/cache/notify.ts): its own
 * listener (lib/server/invalidation.ts) knows them for changes it has already applied.
 */
export function processOrigin(): string {
  const global = globalThis as WithCache;
  global[ORIGIN] ??= randomBytes(9).toString('base64url');
  return global[ORIGIN];
}
