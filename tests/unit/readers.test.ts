import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createReaderActivity } from '@/lib/server/readers';
import { WARM_HEADER } from '@/lib/server/warm';

/** The warmer renders in the background only while no reader is being answered or arriving. */

const request = (headers: Record<string, string> = {}) => ({ headers }) as unknown as IncomingMessage;
const response = () => new EventEmitter() as unknown as ServerResponse;

describe('reader activity', () => {
  it('is busy while a reader is answered, and for quietMs after the last one arrived', () => {
    let clock = 1_000;
    const readers = createReaderActivity({ quietMs: 20, now: () => clock });
    expect(readers.busy()).toBe(false);
    const res = response();
    readers.arrived(request(), res);
    clock += 100;
    expect(readers.busy()).toBe(true); // still being answered
    res.emit('close');
    expect(readers.busy()).toBe(false);
    const quick = response();
    readers.arrived(request(), quick);
    quick.emit('close');
    clock += 19;
    expect(readers.busy()).toBe(true); // answered at once, but readers may still be arriving
    clock += 1;
    expect(readers.busy()).toBe(false);
  });

  it('does not count the warmer’s own requests', () => {
    const readers = createReaderActivity({ quietMs: 20, now: () => 5_000 });
    readers.arrived(request({ [WARM_HEADER]: '1' }), response());
    expect(readers.busy()).toBe(false);
  });
});
