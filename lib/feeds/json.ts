import type { FeedChannel, FeedEntry } from './xml';

/** JSON Feed 1.1 from the same channel and entries as RSS and Atom: every author of each item, in byline order. */
export function jsonFeedDocument(channel: FeedChannel, entries: FeedEntry[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    home_page_url: channel.homeUrl,
    feed_url: channel.jsonUrl,
    description: channel.description,
    language: channel.language,
    items: entries.map((entry) => ({
      id: entry.url,
      url: entry.url,
      title: entry.title,
      summary: entry.summary || undefined,
      content_html: entry.html,
      image: entry.image ?? undefined,
      date_published: entry.published.toISOString(),
      date_modified: entry.updated.toISOString(),
      authors: entry.authors,
      tags: entry.tags.length ? entry.tags : undefined,
    })),
  });
}
