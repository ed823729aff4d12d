import 'server-only';
import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { media } from '@/db/schema';
import type { Tx } from '@/lib/tags/mutations';
import type { CleanImage } from './images';
import { getStorage } from './storage';

/** Images of the same bytes are stored one at a time (per hash), so the duplicate check is exact. */
const MEDIA_LOCK = 720_453;

export type StoredImage = { id: string; width: number; height: number; filename: string };

/**
 * The library's one copy of these bytes, within the caller's transaction: the oldest media row
 * already holding them (an upload, an embed's thumbnail, an import), or a new row whose bytes are
 * put in storage first. Every writer of media goes through here (uploads, embed thumbnails,
 * imports), so the same image is never stored twice, whoever stores it.
 *
 * `stored(key)` is told of bytes written to storage: if the transaction then fails, the caller
 * removes them. `write: false` (an import's dry run) inserts the row without storing bytes.
 * `lock: false` (an import): no per-hash lock, which a transaction holds until it ends; an import's
 * one long transaction would hold one per image, and PostgreSQL's lock table has room for a few
 * thousand. Two writers of the same new bytes at that moment can then leave two rows (both work).
 */
export async function storeImageOnce(
  tx: Tx,
  image: CleanImage,
  row: { filename: string; alt: string; uploaderId: string | null },
  { write = true, lock = true, stored }: { write?: boolean; lock?: boolean; stored?: (key: string) => void } = {},
): Promise<StoredImage & { created: boolean }> {
  if (lock) await tx.execute(sql`select pg_advisory_xact_lock(${MEDIA_LOCK}, hashtext(${image.sha256}))`);
  const [existing] = await tx
    .select({ id: media.id, width: media.width, height: media.height, filename: media.filename })
    .from(media)
    .where(eq(media.sha256, image.sha256))
    .orderBy(asc(media.createdAt))
    .limit(1);
  if (existing) return { ...existing, created: false };
  const id = randomUUID();
  if (write) {
    await getStorage().put(id, image.data, image.contentType);
    stored?.(id);
  }
  await tx.insert(media).values({
    id,
    storageKey: id,
    filename: row.filename,
    contentType: image.contentType,
    bytes: image.data.length,
    width: image.width,
    height: image.height,
    alt: row.alt,
    sha256: image.sha256,
    uploaderId: row.uploaderId,
  });
  return { id, width: image.width, height: image.height, filename: row.filename, created: true };
}
