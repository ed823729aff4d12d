/**
 * MAIL_RATE: a token bucket per process, shared by every newsletter send running in it. A tenth of
 * a second of messages may go at once (at least one); after that each waits its turn, so a minute
 * never carries more than the rate allows. Rate 0: no limit. Pure apart from its clock and timer.
 */
export type RateLimiter = { rate: number; take: () => Promise<void> };

type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };

const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function tokenBucket(rate: number, clock: Clock = realClock): RateLimiter {
  if (!(rate > 0)) return { rate: 0, take: async () => undefined };
  const capacity = Math.max(1, rate / 10);
  let tokens = capacity;
  let last = clock.now();
  // One waiter at a time, in arrival order: each computes its wait from what the previous one left.
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = clock.now();
    tokens = Math.min(capacity, tokens + ((now - last) / 1000) * rate);
    last = now;
  };
  const takeOne = async () => {
    refill();
    if (tokens < 1) {
      await clock.sleep(((1 - tokens) / rate) * 1000);
      refill();
    }
    tokens -= 1;
  };
  return {
    rate,
    take: () => {
      const turn = queue.then(takeOne);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

let shared: RateLimiter | null = null;

/** The process's limiter for this rate (a new one if the rate changed). */
export function mailLimiter(rate: number): RateLimiter {
  if (!shared || shared.rate !== (rate > 0 ? rate : 0)) shared = tokenBucket(rate);
  return shared;
}
