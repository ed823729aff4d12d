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

/** Implicit tags Next.js passes to revalidateTag (revalidatePath) → what changed. */
function changeFromTags(/** @type {string[]} */ tags) {
  /** @type {{ posts: string[], lists: boolean, all: boolean }} */
  const change = { posts: [], lists: false, all: false };
  for (const tag of tags) {
    const article = /^_N_T_\/posts\/([^/]+)$/.exec(tag);
    if (article) change.posts.push(decodeURIComponent(article[1]));
    else if (tag === '_N_T_/layout') change.all = true;
    else change.lists = true;
  }
  return change;
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

  /** @param {string | string[]} tags */
  async revalidateTag(tags) {
    pageCache()?.expire(changeFromTags(typeof tags === 'string' ? [tags] : tags));
  }

  resetRequestCache() {}
}
