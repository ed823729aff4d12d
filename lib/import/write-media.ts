import 'server-only';
import { randomUUID } from 'node:crypto';
import { asc, eq, type SQL } from 'drizzle-orm';
import { media } from '@/db/schema';
import { MAX_TEXT } from '@/lib/content/frontmatter';
import { getStorage } from '@/lib/media/storage';
import { mediaUrl } from '@/lib/media/urls';
import { remember, type ImportContext } from './context';
import type { FetchedImage } from './media';

/** Each fetched image becomes (or finds) a media item; returns old URL → our URL. */
export async function storeMedia(ctx: ImportContext, fetched: Map<string, FetchedImage>, stored: string[]): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  const storage = getStorage();
  const tally = ctx.report.totals.media;
  for (const [url, { image, filename }] of fetched) {
    const keyed = ctx.keys.get(`media:${url}`);
    const find = async (where: SQL) =>
      (
        await ctx.tx
          .select({ id: media.id, width: media.width, height: media.height, filename: media.filename })
          .from(media)
          .where(where)
          .orderBy(asc(media.createdAt))
          .limit(1)
      )[0];
    // The image this URL became last time, else the same bytes uploaded or imported before.
    let ref = (keyed ? await find(eq(media.id, keyed)) : undefined) ?? (await find(eq(media.sha256, image.sha256)));
    if (ref) {
      tally.unchanged += 1;
    } else {
      const id = randomUUID();
      if (!ctx.options.dryRun) {
        await storage.put(id, image.data, image.contentType);
        stored.push(id);
      }
      await ctx.tx.insert(media).values({
        id,
        storageKey: id,
        filename,
        contentType: image.contentType,
        bytes: image.data.length,
        width: image.width,
        height: image.height,
        alt: altFor(ctx, url),
        sha256: image.sha256,
        uploaderId: ctx.options.actorId,
      });
      ref = { id, width: image.width, height: image.height, filename };
      tally.created += 1;
    }
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
