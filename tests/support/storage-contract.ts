/**
 * What every media storage driver (lib/media/storage/*) must do, as lib/media/serve.ts and
 * lib/media/mutations.ts rely on it. Run against each driver by tests/integration/media-storage.test.ts.
 * Keys are fresh per test, so a driver's store need not be emptied between tests.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { StorageDriver } from '@/lib/media/storage/types';

export function storageContract(driver: () => StorageDriver): void {
  it('gives back exactly the bytes and content type it was given, and null for a key it does not have', async () => {
    const storage = driver();
    const key = randomUUID();
    const original = randomBytes(3 * 1024 * 1024 + 17); // over the SDK's and servers' usual chunk sizes
    const small = randomBytes(1000);
    await storage.put(key, original, 'image/png');
    await storage.put(`${key}/w640.webp`, small, 'image/webp');
    const back = await storage.get(key);
    expect(back?.contentType).toBe('image/png');
    expect(back?.data.length).toBe(original.length);
    expect(back?.data.equals(original)).toBe(true);
    expect(await storage.get(`${key}/w640.webp`)).toEqual({ data: small, contentType: 'image/webp' });
    expect(await storage.get(`${key}/w320.webp`)).toBeNull();
    expect(await storage.get(randomUUID())).toBeNull();
    expect(await storage.get(`${randomUUID()}/w640.webp`)).toBeNull();
  });

  it('lets the last writer of a key win, also when two write at once', async () => {
    const storage = driver();
    const key = `${randomUUID()}/w320.avif`;
    await storage.put(key, Buffer.from('first'), 'image/avif');
    await storage.put(key, Buffer.from('second'), 'image/avif');
    expect((await storage.get(key))?.data.toString()).toBe('second');
    await Promise.all([storage.put(key, Buffer.from('same'), 'image/avif'), storage.put(key, Buffer.from('same'), 'image/avif')]);
    expect(await storage.get(key)).toEqual({ data: Buffer.from('same'), contentType: 'image/avif' });
  });

  it('deletes a key with everything under it, and a single variant alone, and nothing else', async () => {
    const storage = driver();
    const key = randomUUID();
    const sibling = `${key}-2`; // starts with the same characters: not "under" the key
    await storage.put(key, Buffer.from('original'), 'image/jpeg');
    for (const variant of ['w320.webp', 'w640.webp', 'w960.jpg']) await storage.put(`${key}/${variant}`, Buffer.from(variant), 'image/webp');
    await storage.put(sibling, Buffer.from('sibling'), 'image/jpeg');
    await storage.put(`${sibling}/w320.webp`, Buffer.from('sibling small'), 'image/webp');

    await storage.delete(`${key}/w960.jpg`);
    expect(await storage.get(`${key}/w960.jpg`)).toBeNull();
    expect(await storage.get(`${key}/w640.webp`)).not.toBeNull();
    expect(await storage.get(key)).not.toBeNull();

    await storage.delete(key);
    for (const gone of [key, `${key}/w320.webp`, `${key}/w640.webp`]) expect(await storage.get(gone), gone).toBeNull();
    expect((await storage.get(sibling))?.data.toString()).toBe('sibling');
    expect((await storage.get(`${sibling}/w320.webp`))?.data.toString()).toBe('sibling small');
    // Deleting what is not there (again) is not an error: a retried deletion must not fail.
    await storage.delete(key);
    await storage.delete(`${key}/w320.webp`);
  });

  it('refuses keys that could name anything else, before touching the store', async () => {
    const storage = driver();
    for (const key of ['../escape', 'a/../b', 'a/b/c', 'A', '', 'a_b', '/abs']) {
      await expect(storage.put(key, Buffer.from('x'), 'image/png'), key).rejects.toThrow(/Invalid storage key/);
      await expect(storage.get(key), key).rejects.toThrow(/Invalid storage key/);
      await expect(storage.delete(key), key).rejects.toThrow(/Invalid storage key/);
    }
  });
}
