/** Small pure figures the bench's rows share: quantiles, and how many publishes readers saw in time. */

/** The q-quantile (nearest rank) of `values`, to 0.1; 0 for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[rank] * 10) / 10;
}

/** A delay in ms, or null: never seen before the poller gave up. */
export type Delay = number | null;

/** A change is visible when every page shows it: the slowest page's delay, or null if one never did. */
export function visibleAfter(pages: readonly Delay[]): Delay {
  if (pages.length === 0 || pages.some((delay) => delay === null)) return null;
  return Math.max(...(pages as number[]));
}

export type DelaySummary = {
  changes: number;
  /** Changes that became visible before the poller gave up. */
  visible: number;
  /** Over the visible ones; null when none was. */
  maxMs: Delay;
  p95Ms: Delay;
  /** Changes not visible within `limitMs`, those never seen included. */
  overLimit: number;
  limitMs: number;
};

export function summariseDelays(delays: readonly Delay[], limitMs: number): DelaySummary {
  const seen = delays.filter((delay): delay is number => delay !== null);
  return {
    changes: delays.length,
    visible: seen.length,
    maxMs: seen.length ? Math.max(...seen) : null,
    p95Ms: seen.length ? quantile(seen, 0.95) : null,
    overLimit: delays.length - seen.filter((delay) => delay <= limitMs).length,
    limitMs,
  };
}

/** numerator / denominator to 0.001 (with the heap flags against without); null when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 1000) / 1000 : null;
}

/** `items` dealt round-robin into `hands` lists, so each gets a like share of every part of the list. */
export function deal<T>(items: readonly T[], hands: number): T[][] {
  const dealt: T[][] = Array.from({ length: hands }, () => []);
  items.forEach((item, i) => dealt[i % hands].push(item));
  return dealt;
}

/** One stretch of reads: each response's latency, the wall time, and what the answers were. */
export type ReadSegment = { latenciesMs: number[]; seconds: number; hits: number; non2xx: number; socketErrors: number };

export type ReadTotals = { requests: number; seconds: number; rps: number; p50Ms: number; p99Ms: number; hits: number; non2xx: number; socketErrors: number };

/** Several stretches of one server's reads as one: responses over the summed wall time, quantiles over every response. */
export function combineSegments(segments: readonly ReadSegment[]): ReadTotals {
  const latencies = segments.flatMap((segment) => segment.latenciesMs);
  const seconds = segments.reduce((sum, segment) => sum + segment.seconds, 0);
  const total = (key: 'hits' | 'non2xx' | 'socketErrors') => segments.reduce((sum, segment) => sum + segment[key], 0);
  return {
    requests: latencies.length,
    seconds: Math.round(seconds * 100) / 100,
    rps: seconds > 0 ? Math.round((latencies.length / seconds) * 10) / 10 : 0,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    hits: total('hits'),
    non2xx: total('non2xx'),
    socketErrors: total('socketErrors'),
  };
}
