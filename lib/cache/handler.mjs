// @ts-check
/**
 * Next.js's incremental cache handler (next.config.js `cacheHandler`): glue only. The page cache
 * itself (lib/cache/page-cache.ts) is created by the server (scripts/serve.ts) and found on
 * globalThis; without one (a build, `next start` on its own) nothing is cached and every request
 * renders, which is always correct.
 */
const GLOBAL = Symbol.for('broadsheet.pageCache');

/** @returns {any} */
function pageCache() {
  return /** @type {any} */ (globalThis)[GLOBAL] ?? null;
}

export default class BroadsheetCacheHandler {
  /** @param {string} key */
  async get(key) {
    const cache = pageCache();
    if (!cache) return null;
    const entry = await cache.get(key);
    return entry ? { lastModified: entry.lastModified, value: entry.value, cacheControl: entry.cacheControl } : null;
  }

  /**
   * @param {string} key
   * @param {any} value
   * @param {{ cacheControl?: { revalidate: number | false, expire?: number } }} [context]
   */
  async set(key, value, context) {
    pageCache()?.set(key, value, context?.cacheControl);
  }

  /**
   * Next.js replays here, at the end of a server action, the paths the action revalidated. Every
   * change readers see has reached the page cache before that, exactly, through announce()
   * (lib/cache/revalidate.ts) and the notifications every server hears: expiring again here, later,
   * would throw away the renders begun meanwhile (the warm after a publish, lib/server/warm.ts), and
   * the editor's own paths name no cached page. Next.js still tells the editor's router to refetch.
   */
  async revalidateTag() {}

  resetRequestCache() {}
}
