import routes from './routes.json';

/**
 * The one normal form of a redirect's `from` address, used when a redirect is stored and when a
 * request is looked up: a root-relative path without a trailing slash or empty, `.` and `..`
 * segments (`/2024/01/25/slug`), each segment percent-encoded one way (so `/caf%c3%a9`, `/café`
 * and `/caf%C3%A9` are one address), and the query only for WordPress's query addresses on the
 * root (`/?p=123`, `/?page_id=7`, `/?cat=3`, `/?tag=x`, `/?author=2`, `/?feed=rss2`), reduced to
 * that one key. A full http(s) URL stands for its path. Anything else: null. Paths keep their case.
 */
export const LEGACY_QUERY_KEYS: readonly string[] = routes.legacyQueryKeys;

/** A WordPress query value we look up (next.config.js rewrites only values of this shape). */
export const LEGACY_QUERY_VALUE = /^[\w.-]{1,200}$/;

const MAX_PATH = 1000;
const CONTROL = /[\u0000-\u001f\u007f]/;
// encodeURIComponent escapes these, a path needs not: keep them readable.
const SUB_DELIMS = /%(24|26|2B|2C|3A|3B|3D|40)/g;

function canonicalSegment(raw: string): string | null {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return null; // a lone `%`: no request can carry it
  }
  return encodeURIComponent(text).replace(SUB_DELIMS, (escape) => decodeURIComponent(escape));
}

export function normalizeRedirectPath(input: string): string | null {
  const text = input.trim();
  if (!text || text.length > MAX_PATH || CONTROL.test(text)) return null;
  let rest: string;
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      rest = url.pathname + url.search;
    } catch {
      return null;
    }
  } else if (text.startsWith('/')) {
    rest = text;
  } else {
    return null;
  }
  rest = rest.split('#')[0];
  const queryAt = rest.indexOf('?');
  const rawPath = queryAt >= 0 ? rest.slice(0, queryAt) : rest;
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    const segment = raw === '' ? '' : canonicalSegment(raw);
    if (segment === null) return null;
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const path = `/${segments.join('/')}`;
  if (path.length > MAX_PATH) return null;
  if (path === '/' && queryAt >= 0) {
    const query = new URLSearchParams(rest.slice(queryAt + 1));
    for (const key of LEGACY_QUERY_KEYS) {
      const value = query.get(key);
      if (value && LEGACY_QUERY_VALUE.test(value)) return `/?${key}=${value}`;
    }
  }
  return path;
}

/**
 * The first segments the site answers itself (the top-level routes of app/, route groups
 * included, and what Next.js serves). A redirect from one of them would never be followed, and
 * next.config.js sends their trailing-slash addresses straight to the slash-less one. Both lists
 * live in routes.json, which next.config.js reads too (tests/unit/old-addresses.test.ts keeps
 * SITE_SECTIONS and app/ in step).
 */
export const SITE_SECTIONS: readonly string[] = routes.siteSections;

const sections = new Set(SITE_SECTIONS);

/** True for `/` and for addresses under one of the site's own routes (a normalised path). */
export function isSiteAddress(path: string): boolean {
  if (path === '/') return true;
  if (path.startsWith('/?')) return false;
  const first = path.slice(1).split('/')[0];
  try {
    return sections.has(decodeURIComponent(first));
  } catch {
    return false;
  }
}

/**
 * What the page cache cannot key (it keys by path, never by query, and `/x/` would be a second
 * key for `/x`) reaches the old-address route (app/(site)/[...path]) through next.config.js's
 * rewrites, under a first segment of its own:
 * - `/category/news/` → `/_trailing-slash/category/news`;
 * - `/?p=123` → `/_wp-query/p/123`.
 */
export const TRAILING_SLASH_SEGMENT = '_trailing-slash';
export const QUERY_SEGMENT = '_wp-query';

export type OldAddress = {
  /** The address to look up (findRedirect normalises it). */
  address: string;
  /** The request had a trailing slash: without a redirect it moves to `address` (one hop). */
  trailingSlash: boolean;
};

/**
 * The old address a request to the old-address route stands for, from the route's segments:
 * decoded for an address asked directly, still percent-encoded (as the request spelt them) when a
 * rewrite put them there. Either way normalizeRedirectPath reads the result as one address.
 */
export function oldAddressOf(segments: string[]): OldAddress {
  const [first, ...rest] = segments;
  if (first === QUERY_SEGMENT && rest.length === 2 && LEGACY_QUERY_KEYS.includes(rest[0])) {
    return { address: `/?${rest[0]}=${rest[1]}`, trailingSlash: false };
  }
  if (first === TRAILING_SLASH_SEGMENT && rest.some(Boolean)) return { address: `/${rest.filter(Boolean).join('/')}`, trailingSlash: true };
  return { address: `/${segments.filter(Boolean).map(encodeURIComponent).join('/')}`, trailingSlash: false };
}

/**
 * The address a redirect's target points at on this site, in the normal form of a `from` (so a
 * loop can be seen), or null when it leaves the site. A full URL on SITE_URL's origin is this site.
 */
export function targetKey(to: string, siteUrl: string): string | null {
  if (to.startsWith('/')) return normalizeRedirectPath(to);
  try {
    const url = new URL(to);
    return url.origin === new URL(siteUrl).origin ? normalizeRedirectPath(`${url.pathname}${url.search}`) : null;
  } catch {
    return null;
  }
}
