/**
 * Every string the server relies on from Next.js's internals, in one place. None of these is a
 * public API: an upgrade may change any of them without notice, and the server would then quietly
 * cache too little (a missed tag), replay what it should not (a flight request read as a page), or
 * send readers an empty shell. tests/unit/next-contract.test.ts checks each one, by name, against the
 * installed Next.js (its own exported constants where it has them, else the code that writes them):
 * an upgrade that changes one fails that test, naming the entry.
 */
export const NEXT_CONTRACT = {
  /** Response header of an ISR page or route answer: HIT, MISS or STALE (respond-steps.ts, respond.ts, replay.ts, observe/outcome.ts). */
  cacheStateHeader: 'x-nextjs-cache',
  /** Header stored with a cached value, its implicit and explicit tags comma-separated (page-cache.ts). */
  cacheTagsHeader: 'x-next-cache-tags',
  /** Prefix of the implicit tags: `_N_T_/posts/<slug>` for a page's path, `_N_T_/(site)/posts/[slug]/page` for its route. */
  implicitTagPrefix: '_N_T_',
  /** The kinds of cached value the page cache stores and weighs (page-cache.ts). */
  cachedPageKind: 'APP_PAGE',
  cachedRouteKind: 'APP_ROUTE',
  /** The path of the home page in a cache key. */
  homeCacheKey: '/index',
  /** Where a cache key's path begins: `/route-cache/APP_PAGE/<sha256 of the route>/$/posts/<slug>`. */
  cacheKeyPathMarker: '/$/',
  /** The empty shell Next.js 16 answers notFound() with from a cached page (respond-steps.ts swaps in the 404 page). */
  errorShellId: '__next_error__',
  /** Content type of flight data: a navigation's answer, a server action's answer (respond-steps.ts). */
  flightContentType: 'text/x-component',
  /** The request header that makes a request a server action (respond.ts, respond-steps.ts). */
  actionHeader: 'next-action',
  /** Request headers that ask for something else than the page's HTML at an address (replay.ts): never replayed or collapsed. */
  flightRequestHeaders: ['rsc', 'next-action', 'next-router-prefetch', 'next-router-state-tree', 'next-router-segment-prefetch', 'next-url'],
  /** The older prefetch header Next.js still honours (replay.ts). */
  middlewarePrefetchHeader: 'x-middleware-prefetch',
  /** The request header Next.js takes a script nonce from (respond.ts sets it per response). */
  nonceRequestHeader: 'content-security-policy',
  /** The global the inline flight scripts push into (csp.ts hashes them, scripts.ts removes them from reader pages). */
  flightGlobal: 'self.__next_f',
  /** The file in the build's directory that names the build: the page cache's namespace (scripts/serve.ts). */
  buildIdFile: 'BUILD_ID',
} as const;

/** `<html id="__next_error__">`, as it starts the shell. */
export const ERROR_SHELL = `<html id="${NEXT_CONTRACT.errorShellId}">`;

/** The page's address in a page-cache key (for the render count by kind), `/` for the home page. */
export function pathOfCacheKey(key: string): string {
  const at = key.indexOf(NEXT_CONTRACT.cacheKeyPathMarker);
  const path = at === -1 ? key : key.slice(at + NEXT_CONTRACT.cacheKeyPathMarker.length - 1);
  return path === NEXT_CONTRACT.homeCacheKey ? '/' : path;
}
