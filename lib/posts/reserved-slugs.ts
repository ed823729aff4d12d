/**
 * Pages live at `/<slug>`, beside the site's own top-level routes: a page may not take an address
 * the site already answers (Next.js would serve the route, never the page). The list is the
 * top-level entries of app/ (route groups included) plus what Next.js serves itself;
 * tests/unit/reserved-slugs.test.ts reads app/ and fails when a new top-level route is missing here.
 */
export const RESERVED_PAGE_SLUGS: readonly string[] = [
  'editor',
  'login',
  'setup',
  'invite',
  'api',
  'media',
  'posts',
  'tags',
  'authors',
  'search',
  'preview',
  'older',
  'bench',
  'feed.xml',
  'atom.xml',
  'feed.json',
  'sitemap.xml',
  'sitemaps',
  'robots.txt',
  'favicon.ico',
  'icon.svg',
  '_broadsheet',
  '_next',
];

const reserved = new Set(RESERVED_PAGE_SLUGS);

/** True when a page at `/<slug>` would be shadowed by one of the site's own routes. */
export function isReservedPageSlug(slug: string): boolean {
  return reserved.has(slug.toLowerCase());
}

/** What the editor says when a page's slug is reserved. */
export function reservedSlugMessage(slug: string): string {
  return `'${slug}' is used by the site itself: choose another slug`;
}
