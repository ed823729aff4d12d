import 'server-only';
import { eq, inArray } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { embeds, media } from '@/db/schema';
import { mediaUrl } from '@/lib/media/urls';
import { findEmbedUrls, type EmbedCard } from './providers';

/** A cached embed as the cache holds it: the card's data, and whether (and when) it was resolved. */
export type CachedEmbed = EmbedCard & { status: 'resolved' | 'failed'; checkedAt: Date };

type Db = Pick<ReturnType<typeof getDb>, 'select'>;

/** The cache rows of these URLs, with our thumbnail's URL (by URL; missing ones are absent). */
export async function cachedEmbeds(urls: string[], db: Db = getDb()): Promise<Map<string, CachedEmbed>> {
  const found = new Map<string, CachedEmbed>();
  if (urls.length === 0) return found;
  const rows = await db
    .select({
      url: embeds.url,
      status: embeds.status,
      title: embeds.title,
      checkedAt: embeds.checkedAt,
      mediaId: media.id,
      width: media.width,
      height: media.height,
      filename: media.filename,
    })
    .from(embeds)
    .leftJoin(media, eq(media.id, embeds.thumbnailMediaId))
    .where(inArray(embeds.url, urls));
  for (const row of rows) {
    const thumbnail = row.mediaId ? mediaUrl({ id: row.mediaId, width: row.width!, height: row.height!, filename: row.filename! }) : null;
    found.set(row.url, { status: row.status, title: row.title, thumbnail, checkedAt: row.checkedAt });
  }
  return found;
}

/**
 * The cards the cache already knows for a body, fetching nothing: what the live preview and a
 * re-render use (a save resolves the others, lib/embeds/mutations.ts).
 */
export async function knownEmbeds(markdown: string): Promise<Map<string, EmbedCard>> {
  return new Map([...(await cachedEmbeds(findEmbedUrls(markdown)))].map(([url, { title, thumbnail }]) => [url, { title, thumbnail }]));
}
