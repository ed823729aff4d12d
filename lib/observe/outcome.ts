import type { ServerResponse } from 'node:http';
import { NEXT_CONTRACT } from '../server/next-contract';

/**
 * How a response was answered from the caches, for its log line and the metrics:
 * `replay` (lib/server/replay.ts sent kept bytes, Next.js never saw the request), `hit` (Next.js
 * served the page cache's entry), `miss` (Next.js rendered it now into the cache), or undefined
 * (not a cached kind of response: the editor, an action, an image).
 */
export type CacheOutcome = 'hit' | 'miss' | 'replay';

const REPLAYED = Symbol.for('broadsheet.replayed');
type Marked = ServerResponse & { [REPLAYED]?: true };

/** Called by the responder (lib/server/respond.ts) when the replay cache answered. */
export function noteReplayed(res: ServerResponse): void {
  (res as Marked)[REPLAYED] = true;
}

export function cacheOutcomeOf(res: ServerResponse): CacheOutcome | undefined {
  if ((res as Marked)[REPLAYED]) return 'replay';
  const header = res.getHeader(NEXT_CONTRACT.cacheStateHeader);
  if (header === undefined) return undefined;
  return String(header).toUpperCase() === 'HIT' ? 'hit' : 'miss';
}
