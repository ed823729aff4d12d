import 'server-only';
import { eq, or, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { mediaBlobs } from '@/db/schema';
import { assertStorageKey, type StorageDriver } from './types';

/** The default driver: bytes in table media_blobs, so a database backup is a backup of the images. */
export const postgresStorage: StorageDriver = {
  async put(key, data, contentType) {
    assertStorageKey(key);
    // Two first requests for one variant both generate it; the second write simply wins.
    await getDb().insert(mediaBlobs).values({ key, data, contentType }).onConflictDoUpdate({ target: mediaBlobs.key, set: { data, contentType } });
  },
  async get(key) {
    assertStorageKey(key);
    const [row] = await getDb().select({ data: mediaBlobs.data, contentType: mediaBlobs.contentType }).from(mediaBlobs).where(eq(mediaBlobs.key, key)).limit(1);
    return row ? { data: Buffer.from(row.data), contentType: row.contentType } : null;
  },
  async delete(prefix) {
    assertStorageKey(prefix);
    // Keys cannot contain `%`, `_` or `\`, so the prefix needs no LIKE escaping.
    await getDb()
      .delete(mediaBlobs)
      .where(or(eq(mediaBlobs.key, prefix), sql`${mediaBlobs.key} like ${`${prefix}/%`}`));
  },
};
