import 'server-only';
import { Feed } from 'feed';
import { absoluteUrl } from '@/lib/format';
import { listFeedPosts, type FeedPost } from '@/lib/posts/queries';
import { getSiteSettings, type SiteSettings } from '@/lib/site/settings';

export const FEED_SIZE = 20;

/** RSS 2.0 and Atom come from the `feed` library; both carry the full, sanitised HTML of each post. */
function buildFeed(site: SiteSettings, items: FeedPost[]): Feed {
  const url = (path: string) => absoluteUrl(site.url, path);
  const feed = new Feed({
    title: site.title,
    description: site.description,
    id: url('/'),
    link: url('/'),
    language: site.locale,
    updated: items[0]?.updatedAt ?? new Date(0),
    generator: 'Broadsheet',
    copyright: `© ${site.title}`,
    feedLinks: { rss: url('/feed.xml'), atom: url('/atom.xml'), json: url('/feed.json') },
  });
  for (const post of items) {
    feed.addItem({
      title: post.title,
      id: url(`/posts/${post.slug}`),
      link: url(`/posts/${post.slug}`),
      description: post.description || post.subtitle,
      content: post.html,
      author: [{ name: post.author.name, link: url(`/authors/${post.author.slug}`) }],
      date: post.updatedAt,
      published: post.publishAt,
      image: post.heroImage ? { url: post.heroImage, type: imageType(post.heroImage) } : undefined,
      category: post.tags.map((name) => ({ name })),
    });
  }
  return feed;
}

function imageType(src: string): string {
  const ext = /\.(png|gif|webp|avif|jpe?g)(\?|$)/i.exec(src)?.[1]?.toLowerCase();
  return ext ? `image/${ext === 'jpg' ? 'jpeg' : ext}` : 'image/jpeg';
}

export async function rssFeed(): Promise<string> {
  const [site, items] = await Promise.all([getSiteSettings(), listFeedPosts(FEED_SIZE)]);
  return buildFeed(site, items).rss2();
}

export async function atomFeed(): Promise<string> {
  const [site, items] = await Promise.all([getSiteSettings(), listFeedPosts(FEED_SIZE)]);
  return buildFeed(site, items).atom1();
}

/** JSON Feed 1.1 (the `feed` library writes 1.0): `authors`, `language`, full `content_html`. */
export async function jsonFeed(): Promise<string> {
  const [site, items] = await Promise.all([getSiteSettings(), listFeedPosts(FEED_SIZE)]);
  const url = (path: string) => absoluteUrl(site.url, path);
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: site.title,
    home_page_url: url('/'),
    feed_url: url('/feed.json'),
    description: site.description,
    language: site.locale,
    items: items.map((post) => ({
      id: url(`/posts/${post.slug}`),
      url: url(`/posts/${post.slug}`),
      title: post.title,
      summary: post.description || post.subtitle || undefined,
      content_html: post.html,
      image: post.heroImage ?? undefined,
      date_published: post.publishAt.toISOString(),
      date_modified: post.updatedAt.toISOString(),
      authors: [{ name: post.author.name, url: url(`/authors/${post.author.slug}`) }],
      tags: post.tags.length ? post.tags : undefined,
    })),
  });
}
