import { describe, expect, it } from 'vitest';
import { KeptOutput } from '../e2e/kept-output';

/** The end-to-end helpers keep a server's last output and wait for a line logged after a point. */
describe('kept output', () => {
  it('finds what came after a position once the beginning has been dropped', () => {
    const output = new KeptOutput(10);
    output.add('0123456789');
    const from = output.length; // full: the kept text no longer grows
    output.add(Buffer.from('warning'));
    expect(output.text).toBe('789warning');
    expect(output.since(from)).toBe('warning');
    expect(output.since(0)).toBe('789warning'); // as much as is kept
    expect(output.since(output.length)).toBe('');
  });
});
