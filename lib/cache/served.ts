import { AsyncLocalStorage } from 'node:async_hooks';
import type { Entry } from './page-cache';

/**
 * Which page-cache entry a request was answered from. The server (lib/server/respond.ts) runs each
 * request inside `servedEntries.run([], …)`; the page cache notes there every entry it hands to
 * Next.js (a fresh hit) or takes from it (a render). With exactly one, the server knows which
 * entry the bytes it sends came from, and can judge later whether those bytes are still true.
 */
export const servedEntries = new AsyncLocalStorage<Entry[]>();

export function noteServed(entry: Entry): void {
  servedEntries.getStore()?.push(entry);
}
