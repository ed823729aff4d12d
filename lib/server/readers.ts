import type { IncomingMessage, ServerResponse } from 'node:http';
import { WARM_HEADER } from '@/lib/server/warm';

/** Readers count as still arriving until none has for this long. */
export const READERS_QUIET_MS = 20;

/**
 * Whether readers are being answered now, for the warmer (lib/server/warm.ts), which renders in the
 * background only when they are not. A replay is answered in a tenth of a millisecond, so the
 * requests in flight are mostly none even while 200 readers arrive: a reader that arrived less than
 * `quietMs` ago counts too. The warmer's own requests (WARM_HEADER) are neither; the header only
 * ever lets a warm start sooner, so a client sending it changes nothing else.
 */
export function createReaderActivity({ quietMs = READERS_QUIET_MS, now = Date.now } = {}) {
  let inFlight = 0;
  let lastArrival = -Infinity;
  return {
    /** Counts one request, from now until its response closes. */
    arrived(req: IncomingMessage, res: ServerResponse): void {
      if (req.headers[WARM_HEADER] !== undefined) return;
      inFlight += 1;
      lastArrival = now();
      res.once('close', () => (inFlight -= 1));
    },
    busy(): boolean {
      return inFlight > 0 || now() - lastArrival < quietMs;
    },
  };
}
