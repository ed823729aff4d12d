/**
 * `BENCH_IMPORT_SQL=1`: every query of this process timed by statement shape (its first words,
 * literals and identifiers masked), to see where an import waits on PostgreSQL and how many round
 * trips each entry costs. Patches pg's Client.prototype.query; for profiling only.
 */
import pg from 'pg';

type Stat = { count: number; ms: number };
const stats = new Map<string, Stat>();

function shape(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\$\d+/g, '$')
    .replace(/\(\$(, \$)+\)/g, '($…)')
    .replace(/'[^']*'/g, "'…'")
    .slice(0, 90);
}

export function timeQueries(): () => { shape: string; count: number; ms: number }[] {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function patched(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '?');
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      const started = performance.now();
      const key = shape(text);
      const done = () => {
        const stat = stats.get(key) ?? { count: 0, ms: 0 };
        stat.count += 1;
        stat.ms += performance.now() - started;
        stats.set(key, stat);
      };
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  } as typeof pg.Client.prototype.query;
  return () =>
    [...stats]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 25)
      .map(([key, stat]) => ({ shape: key, count: stat.count, ms: Math.round(stat.ms) }));
}
