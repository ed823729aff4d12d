import 'server-only';
import { eq } from 'drizzle-orm';
import { media } from '@/db/schema';
import { MAX_TEXT } from '@/lib/content/frontmatter';
import { storeImageOnce } from '@/lib/media/store-once';
import { mediaUrl } from '@/lib/media/urls';
import { remember, type ImportContext } from './context';
import type { FetchedImage } from './media';

/** Each fetched image becomes (or finds) a media item; returns old URL → our URL. */
export async function storeMedia(ctx: ImportContext, fetched: Map<string, FetchedImage>, stored: string[]): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  const tally = ctx.report.totals.media;
  for (const [url, { image, filename }] of fetched) {
    const keyed = ctx.keys.get(`media:${url}`);
    // The image this URL became last time, else the library's copy of these bytes (stored now if new).
    const known = keyed
      ? (
          await ctx.tx.select({ id: media.id, width: media.width, height: media.height, filename: media.filename }).from(media).where(eq(media.id, keyed)).limit(1)
        )[0]
      : undefined;
    const ref =
      known ??
      (await storeImageOnce(
        ctx.tx,
        image,
        { filename, alt: altFor(ctx, url), uploaderId: ctx.options.actorId },
        { write: !ctx.options.dryRun, lock: false, stored: (key) => stored.push(key) },
      ));
    if ('created' in ref && ref.created) tally.created += 1;
    else tally.unchanged += 1;
    if (keyed !== ref.id) await remember(ctx, 'media', url, ref.id);
    urls.set(url, mediaUrl(ref));
  }
  return urls;
}

/** The first alt text the export gives an image (the library shows it). */
function altFor(ctx: ImportContext, url: string): string {
  for (const entry of ctx.bundle.entries) {
    if (entry.featureImage?.url === url && entry.featureImage.alt) return entry.featureImage.alt.slice(0, MAX_TEXT);
  }
  return '';
}
