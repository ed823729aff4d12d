/**
 * What a request path is, for logs and metrics: pure functions of the path (no query string).
 *
 * `routeKind` buckets every address into a handful of kinds, so that the request-duration
 * histogram has a fixed, small number of series whatever readers ask for (a label per path would
 * grow without bound). `loggablePath` is the path as it may be written to a log: the secret in a
 * token address (an invitation, a password reset, a draft's preview link) replaced by `:token`.
 */

export const ROUTE_KINDS = ['article', 'list', 'feed', 'editor', 'api', 'asset', 'other'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

const FEEDS = new Set(['/feed.xml', '/atom.xml', '/feed.json', '/sitemap.xml']);
/** Top-level files the app answers itself (app/robots.txt, app/icon.svg…). */
const ASSET_FILES = new Set(['/robots.txt', '/favicon.ico', '/icon.svg', '/manifest.webmanifest']);
/** Sections of the site that are neither articles nor lists (lib/redirects/paths.ts SITE_SECTIONS). */
const EDITOR_SECTIONS = new Set(['editor', 'login', 'setup', 'invite', 'forgot-password', 'reset-password', 'preview']);
const LIST_SECTIONS = new Set(['tags', 'authors', 'older', 'search']);
const OTHER_SECTIONS = new Set(['subscribe', 'unsubscribe', '_broadsheet', '%5Fbroadsheet', 'bench', 'metrics', 'healthz', 'readyz']);
/**
 * Addresses whose second segment is a secret: `/invite/<token>`, `/reset-password/<token>`,
 * `/preview/<token>`, also as a client may spell them (`//invite//<token>`, any case).
 */
const TOKEN_SECTIONS = /^\/+(invite|reset-password|preview)\/+[^/]+/i;

/** The path without its query string or fragment, always starting with `/`. */
export function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split(/[?#]/, 1)[0];
  return path.startsWith('/') ? path : `/${path}`;
}

export function routeKind(path: string): RouteKind {
  const segments = pathOf(path).split('/').filter(Boolean);
  const first = segments[0];
  if (first === undefined) return 'list'; // the home page
  if (ASSET_FILES.has(`/${first}`) || ((first === '_next' || first === 'media') && segments.length > 1)) return 'asset';
  if (FEEDS.has(`/${first}`) || first === 'sitemaps' || (segments.length > 1 && /^(feed\.(xml|json)|atom\.xml)$/.test(segments.at(-1)!))) return 'feed';
  if (first === 'api') return 'api';
  if (EDITOR_SECTIONS.has(first)) return 'editor';
  if (LIST_SECTIONS.has(first)) return 'list';
  if (first === 'posts') return segments.length === 2 ? 'article' : 'other';
  if (OTHER_SECTIONS.has(first)) return 'other';
  // `/<slug>`: a page (app/(site)/[slug]); longer unknown paths are old addresses (redirects) or 404s.
  return segments.length === 1 ? 'article' : 'other';
}

/** The path as a log may show it: no query string (it may carry a token), no secret path segment. */
export function loggablePath(url: string | undefined): string {
  const path = pathOf(url).slice(0, 512);
  return path.replace(TOKEN_SECTIONS, (_match, section: string) => `/${section.toLowerCase()}/:token`);
}
