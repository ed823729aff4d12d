import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isReservedPageSlug, RESERVED_PAGE_SLUGS, reservedSlugMessage } from '@/lib/posts/reserved-slugs';

const app = path.resolve(__dirname, '../../app');

/**
 * Every first URL segment app/ answers: its folders (route groups like `(site)` looked into,
 * dynamic segments like `[slug]` and private `_folders` left out) and its metadata files
 * (favicon.ico, icon.svg…). Code, styles and the special files (layout, page, not-found) are not routes.
 */
function topLevelRoutes(dir = app): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // `%5Fname` is how a folder answers `/_name` (a plain `_name` folder is private).
    const name = decodeURIComponent(entry.name);
    if (entry.isDirectory()) {
      if (/^\(.+\)$/.test(name)) found.push(...topLevelRoutes(path.join(dir, name)));
      else if (!name.startsWith('[') && !entry.name.startsWith('_') && !name.startsWith('@')) found.push(name);
    } else if (!/\.(tsx?|jsx?|mjs|css|md)$/.test(name)) {
      found.push(name);
    }
  }
  return found;
}

describe('reserved page slugs', () => {
  it('include every top-level route of app/, so no page can be shadowed by one', () => {
    const routes = topLevelRoutes();
    expect(routes).toContain('search');
    expect(routes).toContain('feed.xml');
    const missing = routes.filter((route) => !isReservedPageSlug(route));
    expect(missing, `add these top-level routes to RESERVED_PAGE_SLUGS in lib/posts/reserved-slugs.ts: ${missing.join(', ')}`).toEqual([]);
  });

  it('include what Next.js serves itself, and say why a slug is refused', () => {
    expect(isReservedPageSlug('_next')).toBe(true);
    expect(isReservedPageSlug('Search')).toBe(true);
    expect(isReservedPageSlug('about')).toBe(false);
    expect(isReservedPageSlug('searching')).toBe(false);
    expect(RESERVED_PAGE_SLUGS).toContain('editor');
    expect(reservedSlugMessage('search')).toBe("'search' is used by the site itself: choose another slug");
  });
});
