import { describe, expect, it } from 'vitest';
import { createRng } from '@/bench/lib/prng';
import { rawHeader } from '@/bench/lib/load';
import { answeredAs, groupAnswers, loopBetween, outcomesInLog, publishTimes, spikeMix } from '@/bench/lib/spike';
import { combineSegments, deal, quantile, ratio, summariseDelays, visibleAfter } from '@/bench/lib/stats';

/** The figures of the bench's issue 15 rows (bench/lib/stats.ts, spike.ts): they decide PASS or MISS. */

describe('quantiles', () => {
  it('takes the nearest rank, whatever the order of the values', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(quantile(values, 0.5)).toBe(5);
    expect(quantile(values, 0.95)).toBe(10);
    expect(quantile(values, 0.99)).toBe(10);
    expect(quantile(values, 0.1)).toBe(1);
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 1)).toBe(10);
  });

  it('puts p99 of 200 values on the 198th, and rounds to a tenth', () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1.04);
    expect(quantile(values, 0.99)).toBe(198);
    expect(quantile(values, 0.5)).toBe(100);
  });

  it('is 0 for no values and leaves its input unsorted', () => {
    expect(quantile([], 0.99)).toBe(0);
    const values = [3, 1, 2];
    quantile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('when a publish is visible', () => {
  it('is when the slowest of its pages showed it, and never if one did not', () => {
    expect(visibleAfter([120, 480, 300])).toBe(480);
    expect(visibleAfter([120, null, 300])).toBeNull();
    expect(visibleAfter([])).toBeNull();
  });

  it('counts the publishes over the limit, those never seen among them, and summarises the seen ones', () => {
    const summary = summariseDelays([200, 1_000, 1_001, null, 50], 1_000);
    expect(summary).toEqual({ changes: 5, visible: 4, maxMs: 1_001, p95Ms: 1_001, overLimit: 2, limitMs: 1_000 });
  });

  it('has no maximum when nothing was seen, and nothing over the limit when every one was in time', () => {
    expect(summariseDelays([null, null], 1_000)).toMatchObject({ visible: 0, maxMs: null, p95Ms: null, overLimit: 2 });
    expect(summariseDelays([10, 20, 30], 1_000)).toMatchObject({ visible: 3, maxMs: 30, overLimit: 0 });
    expect(summariseDelays([], 1_000)).toMatchObject({ changes: 0, overLimit: 0, maxMs: null });
  });
});

describe('the spike writer', () => {
  it('publishes every 2 s from the first second, the last one 2 s before the readers stop', () => {
    expect(publishTimes(15_000)).toEqual([1_000, 3_000, 5_000, 7_000, 9_000, 11_000, 13_000]);
    expect(publishTimes(60_000)).toHaveLength(29);
    expect(publishTimes(60_000).at(-1)).toBe(57_000);
    expect(publishTimes(2_500)).toEqual([]);
  });

  it('sends readers to articles, home and the feed in the soak mix’s proportions', () => {
    const target = spikeMix(['a', 'b'], createRng(7));
    const counts = { article: 0, home: 0, feed: 0 };
    for (let i = 0; i < 7_500; i += 1) {
      const path = (target.path as () => string)();
      if (path === '/') counts.home += 1;
      else if (path === '/feed.xml') counts.feed += 1;
      else if (path === '/posts/a' || path === '/posts/b') counts.article += 1;
      else throw new Error(`unexpected path ${path}`);
    }
    expect(counts.article / 7_500).toBeCloseTo(55 / 75, 1);
    expect(counts.home / 7_500).toBeCloseTo(15 / 75, 1);
    expect(counts.feed / 7_500).toBeCloseTo(5 / 75, 1);
  });
});

describe("the spike's readers by how the server answered", () => {
  it('reads a header from raw headers, whatever its case', () => {
    expect(rawHeader(['Content-Type', 'text/html', 'X-Request-Id', 'abc'], 'x-request-id')).toBe('abc');
    expect(rawHeader(['content-type', 'text/html'], 'x-request-id')).toBeUndefined();
    expect(rawHeader(['x-request-id'], 'x-request-id')).toBeUndefined(); // a name without its value
  });

  it("joins each reader's latency with its log line's cache outcome", () => {
    const log = [
      JSON.stringify({ reqId: 'a', msg: 'request', cache: 'replay' }),
      JSON.stringify({ reqId: 'b', msg: 'request', cache: 'hit' }),
      JSON.stringify({ reqId: 'c', msg: 'request', cache: 'collapsed' }),
      JSON.stringify({ reqId: 'd', msg: 'request', cache: 'miss' }),
      JSON.stringify({ reqId: 'e', msg: '[warm] something' }),
      'not json {',
      '',
    ].join('\n');
    const outcomes = outcomesInLog(log);
    expect([...outcomes.keys()]).toEqual(['a', 'b', 'c', 'd']);
    const groups = groupAnswers(
      [
        ['a', 1],
        ['b', 3],
        ['c', 900],
        ['d', 1200],
        ['e', 5],
        [undefined, 7],
      ],
      outcomes,
    );
    expect(groups.cached).toEqual({ requests: 2, p50Ms: 1, p99Ms: 3 });
    expect(groups.waited).toEqual({ requests: 1, p50Ms: 900, p99Ms: 900 });
    expect(groups.rendered).toEqual({ requests: 1, p50Ms: 1200, p99Ms: 1200 });
    expect(groups.unknown).toEqual({ requests: 2, p50Ms: 5, p99Ms: 7 });
    expect(answeredAs(undefined)).toBe('unknown');
  });
});

describe("the server's event loop over the spike", () => {
  it('takes the delay from the scrape after, and the collections made between the two', () => {
    const before = [
      'nodejs_eventloop_lag_p99_seconds 0.5',
      'nodejs_gc_duration_seconds_sum{kind="major"} 1.25',
      'nodejs_gc_duration_seconds_count{kind="major"} 10',
      'nodejs_gc_duration_seconds_sum{kind="minor"} 0.5',
      'nodejs_gc_duration_seconds_count{kind="minor"} 100',
    ].join('\n');
    const after = [
      '# HELP nodejs_eventloop_lag_p99_seconds 99th percentile of the recorded event loop delays.',
      'nodejs_eventloop_lag_p99_seconds 0.2345',
      'nodejs_eventloop_lag_max_seconds 0.61',
      'nodejs_gc_duration_seconds_bucket{le="0.1",kind="major"} 12',
      'nodejs_gc_duration_seconds_sum{kind="major"} 1.75',
      'nodejs_gc_duration_seconds_count{kind="major"} 14',
      'nodejs_gc_duration_seconds_sum{kind="minor"} 0.75',
      'nodejs_gc_duration_seconds_count{kind="minor"} 160',
    ].join('\n');
    expect(loopBetween(before, after)).toEqual({
      delayP99Ms: 234.5,
      delayMaxMs: 610,
      gc: { major: { count: 4, ms: 500 }, minor: { count: 60, ms: 250 }, incremental: { count: 0, ms: 0 } },
    });
  });
});

describe('first reads with and without the heap flags', () => {
  it('deals the unread articles to the turns so that none is read twice', () => {
    const hands = deal(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3);
    expect(hands).toEqual([
      ['a', 'd', 'g'],
      ['b', 'e'],
      ['c', 'f'],
    ]);
    expect(new Set(hands.flat()).size).toBe(7);
  });

  it('adds one server’s turns up: responses over the summed time, quantiles over every response', () => {
    const totals = combineSegments([
      { latenciesMs: [100, 300], seconds: 1, hits: 0, non2xx: 0, socketErrors: 1 },
      { latenciesMs: [200, 400, 500], seconds: 1.5, hits: 1, non2xx: 2, socketErrors: 0 },
    ]);
    expect(totals).toEqual({ requests: 5, seconds: 2.5, rps: 2, p50Ms: 300, p99Ms: 500, hits: 1, non2xx: 2, socketErrors: 1 });
    expect(combineSegments([])).toMatchObject({ requests: 0, rps: 0, p99Ms: 0 });
  });

  it('gives the ratio with ÷ without to a thousandth, and none against nothing', () => {
    expect(ratio(39, 43)).toBe(0.907);
    expect(ratio(10, 0)).toBeNull();
  });
});
