/**
 * The one normal form of a redirect's `from` address, used when a redirect is stored and when a
 * request is looked up: a root-relative path without a trailing slash (`/2024/01/25/slug`), and
 * the query only for WordPress's query addresses on the root (`/?p=123`, `/?page_id=7`, `/?cat=3`,
 * `/?tag=x`, `/?author=2`, `/?feed=rss2`), reduced to that one key. Anything else: null.
 */
export const LEGACY_QUERY_KEYS = ['p', 'page_id', 'cat', 'tag', 'author', 'feed'] as const;

const MAX_PATH = 1000;

export function normalizeRedirectPath(input: string): string | null {
  const text = input.trim();
  if (!text || text.length > MAX_PATH) return null;
  let url: URL;
  try {
    url = new URL(text, 'http://placeholder.invalid');
  } catch {
    return null;
  }
  if (!text.startsWith('/') && !/^https?:\/\//i.test(text)) return null;
  let path = url.pathname.replace(/\/{2,}/g, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  if (path === '/') {
    for (const key of LEGACY_QUERY_KEYS) {
      const value = url.searchParams.get(key);
      if (value && /^[\w.-]{1,200}$/.test(value)) return `/?${key}=${value}`;
    }
  }
  return path;
}
