import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '@/lib/posts/cursor';

describe('keyset cursors', () => {
  it('round-trips (publishAt, id)', () => {
    const cursor = { at: new Date('2024-01-25T10:11:12.345Z'), id: randomUUID() };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // safe in a URL as is
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it('returns null for anything that is not a cursor we made', () => {
    const id = randomUUID();
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const value of [
      undefined,
      null,
      42,
      ['x'],
      '',
      'garbage',
      '%%%%',
      b64('not-a-date|' + id),
      b64('2024-01-25T10:11:12.345Z|not-a-uuid'),
      b64('2024-01-25T10:11:12.345Z|' + id.slice(0, -1)),
      b64('2024-01-25T10:11:12.345Z'),
      b64('2024-02-30T10:11:12.345Z|' + id),
      b64(`2024-01-25T10:11:12.345Z|${id}|extra`).slice(0, 0) + 'x'.repeat(201),
      encodeCursor({ at: new Date('2024-01-25T00:00:00Z'), id }) + 'A'.repeat(200),
    ]) {
      expect(decodeCursor(value), String(value)).toBeNull();
    }
  });
});
