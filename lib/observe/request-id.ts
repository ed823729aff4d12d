import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * Every request gets an id, written on its log line and sent back as `X-Request-Id`, so a reader's
 * report ("it failed at 10:02", with the header from the browser) finds the line. A proxy in front
 * may have made one already: kept when it is sane (1–64 of [A-Za-z0-9._-]), so a log line can never
 * be forged or flooded through the header; otherwise a new one.
 */
const incomingId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

export function requestIdFrom(header: string | string[] | undefined): string {
  const parsed = incomingId.safeParse(Array.isArray(header) ? header[0] : header);
  return parsed.success ? parsed.data : randomUUID();
}
