import type { ServerResponse } from 'node:http';
import { NEXT_CONTRACT } from '../server/next-contract';

/**
 * How a response was answered from the caches, for its log line and the metrics:
 * `replay` (lib/server/replay.ts sent kept bytes, Next.js never saw the request), `collapsed` (the
 * same, after waiting for another reader's render of the page: lib/server/collapse.ts), `hit`
 * (Next.js served the page cache's entry), `miss` (Next.js rendered it now into the cache), or
 * undefined (not a cached kind of response: the editor, an action, an image).
 */
export type CacheOutcome = 'hit' | 'miss' | 'replay' | 'collapsed';

const REPLAYED = Symbol.for('broadsheet.replayed');
type Marked = ServerResponse & { [REPLAYED]?: 'replay' | 'collapsed' };

/** Called by the responder (lib/server/respond.ts) when the replay cache answered; `collapsed`: after waiting for a render. */
export function noteReplayed(res: ServerResponse, collapsed = false): void {
  (res as Marked)[REPLAYED] = collapsed ? 'collapsed' : 'replay';
}

export function cacheOutcomeOf(res: ServerResponse): CacheOutcome | undefined {
  const replayed = (res as Marked)[REPLAYED];
  if (replayed) return replayed;
  const header = res.getHeader(NEXT_CONTRACT.cacheStateHeader);
  if (header === undefined) return undefined;
  return String(header).toUpperCase() === 'HIT' ? 'hit' : 'miss';
}
