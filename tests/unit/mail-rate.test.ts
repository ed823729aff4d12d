/** MAIL_RATE's token bucket, on an injected clock. */
import { describe, expect, it } from 'vitest';
import { tokenBucket } from '@/lib/mail/rate';

function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    get elapsed() {
      return now;
    },
  };
}

describe('tokenBucket', () => {
  it('lets a tenth of a second of messages through at once, then one per 1/rate seconds', async () => {
    const clock = fakeClock();
    const bucket = tokenBucket(100, clock);
    for (let i = 0; i < 10; i += 1) await bucket.take();
    expect(clock.elapsed).toBe(0);
    await bucket.take();
    expect(clock.elapsed).toBeCloseTo(10, 5);
    for (let i = 0; i < 89; i += 1) await bucket.take();
    expect(clock.elapsed).toBeCloseTo(900, 5); // 100 messages: 10 at once, 90 more at 100/s
  });

  it('callers waiting at once are served in turn, each after the previous', async () => {
    const clock = fakeClock();
    const bucket = tokenBucket(2, clock);
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(clock.elapsed).toBeCloseTo(1000, 5);
  });

  it('rate 0 is no limit', async () => {
    const clock = fakeClock();
    const bucket = tokenBucket(0, clock);
    for (let i = 0; i < 1000; i += 1) await bucket.take();
    expect(clock.elapsed).toBe(0);
  });
});
