import { SITE_SECTIONS } from '@/lib/redirects/paths';

/**
 * Pages live at `/<slug>`, beside the site's own top-level routes: a page may not take an address
 * the site already answers (Next.js would serve the route, never the page). The list is the site's
 * own sections (lib/redirects/paths.ts: the top-level entries of app/ plus what Next.js serves);
 * tests/unit/reserved-slugs.test.ts reads app/ and fails when a new top-level route is missing here.
 */
export const RESERVED_PAGE_SLUGS: readonly string[] = SITE_SECTIONS;

const reserved = new Set(RESERVED_PAGE_SLUGS);

/** True when a page at `/<slug>` would be shadowed by one of the site's own routes. */
export function isReservedPageSlug(slug: string): boolean {
  return reserved.has(slug.toLowerCase());
}

/** What the editor says when a page's slug is reserved. */
export function reservedSlugMessage(slug: string): string {
  return `'${slug}' is used by the site itself: choose another slug`;
}
