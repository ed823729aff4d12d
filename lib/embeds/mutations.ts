import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { embeds } from '@/db/schema';
import { env } from '@/lib/env';
import { cleanFilename } from '@/lib/media/filename';
import type { CleanImage } from '@/lib/media/images';
import { getStorage } from '@/lib/media/storage';
import { storeImageOnce, type StoredImage } from '@/lib/media/store-once';
import { mediaUrl } from '@/lib/media/urls';
import { EMBED_TIMEOUT_MS, fetchOEmbed, fetchThumbnail, oembedRequestUrl } from './fetch';
import { embedProviderFor, findEmbedUrls, type EmbedCard, type EmbedProvider } from './providers';
import { cachedEmbeds } from './queries';

/**
 * Resolving the embeds of a body when its post is saved, before it is rendered: each provider URL
 * written alone on a line is looked up in the `embeds` cache; one the cache does not know (or knows
 * as failed, see `shouldRetry`) is asked of its provider's oEmbed endpoint, and the thumbnail it
 * names is fetched, cleaned like an upload and stored as media. The reader's page then shows our
 * copy; the provider is reached only by a reader who follows the card's link.
 */

/** A failed embed is asked again by the next explicit save, and by autosaves once this long has passed. */
export const EMBED_RETRY_MS = 60_000;
/** Everything one save waits for, however many embeds it resolves (those not started by then wait for the next save). */
export const SAVE_EMBEDS_BUDGET_MS = 8_000;
const CONCURRENCY = 4;

export function shouldRetry(cached: { status: 'resolved' | 'failed'; checkedAt: Date } | undefined, explicit: boolean, now = Date.now()): boolean {
  if (!cached) return true;
  if (cached.status === 'resolved') return false;
  return explicit || now - cached.checkedAt.getTime() >= EMBED_RETRY_MS;
}

/** Our media row for a thumbnail: the same bytes already stored (an upload, another embed) are reused. */
async function storeThumbnail(provider: EmbedProvider, image: CleanImage, title: string): Promise<StoredImage> {
  const filename = cleanFilename(`${provider.id}-${title || 'thumbnail'}`, image.ext);
  let stored: string | null = null;
  try {
    return await getDb().transaction((tx) => storeImageOnce(tx, image, { filename, alt: '', uploaderId: null }, { stored: (key) => (stored = key) }));
  } catch (error) {
    const orphan: string | null = stored;
    if (orphan)
      await getStorage()
        .delete(orphan)
        .catch((cause) => console.error('[embeds] could not remove orphan', orphan, cause));
    throw error;
  }
}

async function record(url: string, provider: EmbedProvider, row: { status: 'resolved' | 'failed'; title: string; mediaId: string | null; error: string | null }) {
  const values = { provider: provider.id, status: row.status, title: row.title, thumbnailMediaId: row.mediaId, error: row.error, checkedAt: sql`now()` };
  await getDb()
    .insert(embeds)
    .values({ url, ...values })
    .onConflictDoUpdate({ target: embeds.url, set: values });
}

/** Asks the provider, stores the thumbnail and the answer; a failure is recorded with its reason (and any title it got). */
async function resolveOne(url: string, deadline: number): Promise<EmbedCard> {
  const provider = embedProviderFor(url)!;
  const { EMBED_ALLOW_PRIVATE: allowPrivate, OEMBED_ENDPOINT } = env();
  const limits = { allowPrivate, timeoutMs: EMBED_TIMEOUT_MS };
  let title = '';
  try {
    const answer = await fetchOEmbed(oembedRequestUrl(provider, url, OEMBED_ENDPOINT), limits, deadline);
    title = answer.title;
    const thumbnail = answer.thumbnailUrl ? await storeThumbnail(provider, await fetchThumbnail(answer.thumbnailUrl, limits, deadline), title) : null;
    await record(url, provider, { status: 'resolved', title, mediaId: thumbnail?.id ?? null, error: null });
    return { title, thumbnail: thumbnail ? mediaUrl(thumbnail) : null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.warn(`[embeds] ${url} could not be resolved: ${reason}`);
    await record(url, provider, { status: 'failed', title, mediaId: null, error: reason.slice(0, 500) });
    return { title, thumbnail: null };
  }
}

/**
 * The cards of a body's embeds, resolving those the cache cannot answer (`explicit`: a save the
 * writer asked for, which retries failed ones at once). Never throws for a provider's sake: an
 * embed that cannot be resolved renders as a card with its URL and provider name.
 */
export async function resolveEmbeds(markdown: string, { explicit }: { explicit: boolean }): Promise<Map<string, EmbedCard>> {
  const urls = findEmbedUrls(markdown);
  const cards = new Map<string, EmbedCard>();
  if (urls.length === 0) return cards;
  const cached = await cachedEmbeds(urls);
  const queue: string[] = [];
  for (const url of urls) {
    const hit = cached.get(url);
    if (hit) cards.set(url, { title: hit.title, thumbnail: hit.thumbnail });
    if (shouldRetry(hit, explicit)) queue.push(url);
  }
  const deadline = Date.now() + SAVE_EMBEDS_BUDGET_MS;
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined && Date.now() < deadline; url = queue.shift()) {
      cards.set(url, await resolveOne(url, Math.min(deadline, Date.now() + EMBED_TIMEOUT_MS)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return cards;
}
