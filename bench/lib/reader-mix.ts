/** The soak test's readers: random public pages in roughly the proportions real traffic has. */
import type { PageTarget } from './load';
import type { Corpus } from './pages';
import type { Rng } from './prng';
import { SEARCH_WORDS } from './corpus/vocabulary';

/** A path picker: each of `weighted`'s makers chosen in proportion to its weight. */
export function weightedPaths(weighted: readonly [number, () => string][], rng: Rng): () => string {
  const total = weighted.reduce((n, [w]) => n + w, 0);
  return () => {
    let r = rng.next() * total;
    for (const [weight, path] of weighted) {
      r -= weight;
      if (r < 0) return path();
    }
    return '/';
  };
}

export function readerMix(corpus: Corpus, rng: Rng): PageTarget {
  const deep = corpus.deepCursor ? `/?after=${corpus.deepCursor}` : '/';
  const weighted: [number, () => string][] = [
    [55, () => `/posts/${encodeURIComponent(rng.pick(corpus.slugs))}`],
    [15, () => '/'],
    [3, () => deep],
    [8, () => `/tags/${corpus.tag}`],
    [5, () => `/authors/${corpus.author}`],
    [8, () => `/search?q=${encodeURIComponent(rng.pick(SEARCH_WORDS))}`],
    [5, () => '/feed.xml'],
    [1, () => '/sitemap.xml'],
  ];
  return { name: 'readers', path: weightedPaths(weighted, rng), example: 'articles 55%, home 15%, tag 8%, search 8%, author 5%, feed 5%, deep page 3%, sitemap 1%' };
}
