/**
 * The old site's public addresses and where each now lives: what the import writes into the
 * redirect table, so links from the rest of the web keep working. Pure: no database.
 */
import { normalizeRedirectPath } from '@/lib/redirects/paths';
import type { SourceBundle } from './types';

export type Placed = {
  /** Source entry id → its path here and whether readers can see it. */
  entries: Map<string, { path: string; public: boolean }>;
  /** Source tag id → tag slug here (internal tags are absent). */
  tags: Map<string, string>;
  /** Source user id → author slug here. */
  users: Map<string, string>;
};

export type OldAddress = { from: string; to: string };

/** WordPress term ids are kept as `category:12` / `tag:7`; the number is what `?cat=` used. */
const termNumber = (sourceId: string) => /(\d+)$/.exec(sourceId)?.[1] ?? null;

/** Makes an old site's absolute or relative address root-relative when it is on that site. */
export function onSitePath(url: string, siteUrl: string | null): string | null {
  const ghostless = url.replace(/^__GHOST_URL__/, '');
  if (ghostless.startsWith('/') && !ghostless.startsWith('//')) return ghostless;
  if (!siteUrl) return null;
  try {
    const target = new URL(ghostless);
    const site = new URL(siteUrl);
    if (target.host.toLowerCase() !== site.host.toLowerCase()) return null;
    // A site in a subdirectory (https://example.com/blog): its addresses are relative to it.
    const base = site.pathname.replace(/\/+$/, '');
    const path = base && target.pathname.startsWith(`${base}/`) ? target.pathname.slice(base.length) : target.pathname;
    return `${path}${target.search}`;
  } catch {
    return null;
  }
}

export function oldAddresses(bundle: SourceBundle, placed: Placed): OldAddress[] {
  const pairs: [string, string][] = [];
  const wordpress = bundle.source === 'wordpress';
  for (const entry of bundle.entries) {
    const here = placed.entries.get(entry.sourceId);
    if (!here?.public) continue;
    if (wordpress) {
      pairs.push([`/?p=${entry.sourceId}`, here.path]);
      if (entry.kind === 'page') pairs.push([`/?page_id=${entry.sourceId}`, here.path]);
    } else if (entry.slug) {
      pairs.push([`/${entry.slug}`, here.path]);
    }
    const link = entry.link ? onSitePath(entry.link, bundle.siteUrl) : null;
    if (link) pairs.push([link, here.path]);
  }
  for (const tag of bundle.tags) {
    const slug = placed.tags.get(tag.sourceId);
    if (!slug) continue;
    const to = `/tags/${slug}`;
    pairs.push([`/${tag.taxonomy}/${tag.slug}`, to]);
    if (wordpress) {
      const number = termNumber(tag.sourceId);
      if (tag.taxonomy === 'category' && number) pairs.push([`/?cat=${number}`, to]);
      if (tag.taxonomy === 'tag') pairs.push([`/?tag=${tag.slug}`, to]);
    }
  }
  for (const user of bundle.users) {
    const slug = placed.users.get(user.sourceId);
    if (!slug) continue;
    pairs.push([`/author/${user.slug}`, `/authors/${slug}`]);
    if (wordpress && /^\d+$/.test(user.sourceId)) pairs.push([`/?author=${user.sourceId}`, `/authors/${slug}`]);
  }
  if (wordpress) {
    pairs.push(['/feed', '/feed.xml'], ['/feed/rss2', '/feed.xml'], ['/feed/atom', '/atom.xml'], ['/comments/feed', '/feed.xml']);
    pairs.push(['/?feed=rss2', '/feed.xml'], ['/?feed=rss', '/feed.xml'], ['/?feed=atom', '/atom.xml']);
  } else {
    pairs.push(['/rss', '/feed.xml']);
  }
  const seen = new Map<string, string>();
  for (const [rawFrom, to] of pairs) {
    const from = normalizeRedirectPath(rawFrom);
    // An address that already is the new one needs no redirect (a page kept at /about).
    if (!from || from === '/' || from === to || seen.has(from)) continue;
    seen.set(from, to);
  }
  return [...seen].map(([from, to]) => ({ from, to }));
}
