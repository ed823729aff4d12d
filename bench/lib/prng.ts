/**
 * A seeded random source (mulberry32): the same seed gives the same corpus, cursors and request
 * mix on every machine, so two runs differ only by the code under test.
 */
export type Rng = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index in [0, n) with a Zipf-like skew: a few items get most picks, like real tags and authors. */
  skewed(n: number, exponent?: number): number;
  /** A random UUID (version 4 layout) from this source, so ids are reproducible too. */
  uuid(): string;
  /** An independent stream, for work whose order may change without shifting everything else. */
  fork(label: string): Rng;
};

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function createRng(seed: number | string): Rng {
  let state = (typeof seed === 'number' ? seed : hashString(seed)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const rng: Rng = {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
    skewed(n, exponent = 1.1) {
      // Inverse-power sampling: cheap, and close enough to Zipf for a benchmark corpus.
      const u = next();
      return Math.min(n - 1, Math.floor(n * Math.pow(u, 1 + exponent * 2)));
    },
    uuid() {
      const hex = Array.from({ length: 32 }, () => int(0, 15).toString(16));
      hex[12] = '4';
      hex[16] = ((int(0, 15) & 0x3) | 0x8).toString(16);
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
    fork: (label) => createRng((state ^ hashString(label)) >>> 0),
  };
  return rng;
}
