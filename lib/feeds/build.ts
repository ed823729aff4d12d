import 'server-only';
import { absoluteUrl } from '@/lib/format';
import { listFeedPosts, type FeedPost } from '@/lib/posts/queries';
import { getSiteSettings } from '@/lib/site/settings';
import { feedBody } from './body';
import { jsonFeedDocument } from './json';
import { atom, rss, type FeedChannel, type FeedEntry } from './xml';

export const FEED_SIZE = 20;

/** An absolute URL on this site for a stored path or URL; null when it cannot be one (never throws). */
function safeAbsolute(siteUrl: string, value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, `${siteUrl}/`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

async function feedParts(): Promise<[FeedChannel, FeedEntry[]]> {
  const [site, items] = await Promise.all([getSiteSettings(), listFeedPosts(FEED_SIZE)]);
  const url = (path: string) => absoluteUrl(site.url, path);
  const channel: FeedChannel = {
    title: site.title,
    description: site.description,
    language: site.locale,
    homeUrl: url('/'),
    rssUrl: url('/feed.xml'),
    atomUrl: url('/atom.xml'),
    jsonUrl: url('/feed.json'),
    updated: items.reduce((max, post) => (post.updatedAt > max ? post.updatedAt : max), new Date(0)),
  };
  const entries = items.map((post: FeedPost) => ({
    url: url(`/posts/${post.slug}`),
    title: post.title,
    summary: post.excerpt || post.description || post.subtitle,
    html: feedBody(post.html, { siteUrl: site.url, pageUrl: url(`/posts/${post.slug}`) }),
    authors: post.authors.map((author) => ({ name: author.name, url: url(`/authors/${author.slug}`) })),
    published: post.publishAt,
    updated: post.updatedAt,
    tags: post.tags,
    image: safeAbsolute(site.url, post.heroImage),
  }));
  return [channel, entries];
}

/** RSS 2.0 with the full, sanitised HTML of each post. */
export async function rssFeed(): Promise<string> {
  return rss(...(await feedParts()));
}

/** Atom 1.0 with the full, sanitised HTML of each post. */
export async function atomFeed(): Promise<string> {
  return atom(...(await feedParts()));
}

/** JSON Feed 1.1: `authors`, `language`, full `content_html`; the same entries as RSS and Atom. */
export async function jsonFeed(): Promise<string> {
  return jsonFeedDocument(...(await feedParts()));
}
