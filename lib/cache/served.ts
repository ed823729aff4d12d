import { AsyncLocalStorage } from 'node:async_hooks';
import type { Entry } from './page-cache';

/**
 * What the page cache and the server (lib/server/respond.ts) share about one request. The server
 * runs each request inside `cacheRequest.run(…)`; the page cache, called by Next.js within it:
 * - notes in `served` every entry it hands to Next.js (a fresh hit) or takes from it (a render).
 *   With exactly one, the server knows which entry the bytes it sends came from, and can judge
 *   later whether those bytes are still true;
 * - on a miss, waits for the request's `turn` to render (lib/server/render-gate.ts) before Next.js
 *   renders. Renders take turns; a page the cache holds is answered without waiting for one.
 */
export type RenderTurn = {
  /** Resolves when this request may render; true if it had to wait (the page may be there by then). */
  take(): Promise<boolean>;
  /** Gives the turn back unused (the page was rendered meanwhile). */
  give(): void;
};

export type CacheRequest = { served: Entry[]; turn: RenderTurn | null };

export const cacheRequest = new AsyncLocalStorage<CacheRequest>();

export function noteServed(entry: Entry): void {
  cacheRequest.getStore()?.served.push(entry);
}

/** Waits for this request's turn to render, if it takes turns: true if it had to wait. */
export async function takeRenderTurn(): Promise<boolean> {
  return (await cacheRequest.getStore()?.turn?.take()) ?? false;
}

export function giveRenderTurn(): void {
  cacheRequest.getStore()?.turn?.give();
}
