import type { Metadata } from 'next';
import type { SiteSettings } from './settings';

/**
 * Next.js merges page metadata over the layout's one top-level key at a time, so a page that sets
 * `alternates` or `openGraph` must repeat the site-wide parts: these helpers are those parts.
 */
export function siteAlternates(site: SiteSettings, canonical?: string): Metadata['alternates'] {
  return {
    ...(canonical ? { canonical } : {}),
    types: {
      'application/rss+xml': [{ url: '/feed.xml', title: `${site.title} (RSS)` }],
      'application/atom+xml': [{ url: '/atom.xml', title: `${site.title} (Atom)` }],
      'application/feed+json': [{ url: '/feed.json', title: `${site.title} (JSON Feed)` }],
    },
  };
}

export function siteOpenGraph(site: SiteSettings) {
  return { siteName: site.title, locale: site.locale };
}
