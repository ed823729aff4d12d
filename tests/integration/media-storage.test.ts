/**
 * The media storage drivers against real stores: one contract (tests/support/storage-contract.ts)
 * run against PostgreSQL, a local directory and a real S3-compatible server (s3rver on 127.0.0.1);
 * then the whole media path with MEDIA_STORAGE=s3: upload, serve the original and a generated size
 * from the bucket with our headers, delete — and what a broken bucket does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StorageDriver } from '@/lib/media/storage/types';
import { startS3, type LocalS3 } from '../support/s3';
import { storageContract } from '../support/storage-contract';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let s3: LocalS3;
let localDir: string;

beforeAll(async () => {
  s3 = await startS3();
  localDir = await mkdtemp(path.join(tmpdir(), 'media-local-'));
  // The app reads its settings once (lib/env.ts): set MEDIA_STORAGE=s3 before anything reads them.
  Object.assign(process.env, {
    MEDIA_STORAGE: 's3',
    S3_BUCKET: s3.settings.bucket,
    S3_REGION: s3.settings.region,
    S3_ENDPOINT: s3.settings.endpoint,
    S3_ACCESS_KEY_ID: s3.settings.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.settings.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  });
});

afterAll(async () => {
  await s3?.close();
  if (localDir) await rm(localDir, { recursive: true, force: true });
});

const drivers: [string, () => Promise<StorageDriver>][] = [
  ['s3', async () => (await import('@/lib/media/storage/s3')).s3Storage(s3.settings)],
  ['local', async () => (await import('@/lib/media/storage/local')).localStorage(localDir)],
  ['postgres', async () => (await import('@/lib/media/storage/postgres')).postgresStorage],
];

describe.each(drivers)('the %s driver', (_name, make) => {
  let driver: StorageDriver;
  beforeAll(async () => {
    driver = await make();
  });
  storageContract(() => driver);
});

describe('the s3 driver, when the bucket cannot be used', () => {
  it('fails loudly (never "image missing") on unknown credentials, an unknown bucket or an unreachable server', async () => {
    const { s3Storage } = await import('@/lib/media/storage/s3');
    const key = 'f0f0f0f0-0000-4000-8000-000000000001';
    // (s3rver checks the access key id, not SigV4 signatures: a wrong key id stands for bad credentials.)
    const wrongKey = s3Storage({ ...s3.settings, accessKeyId: 'NOT-OURS' });
    await expect(wrongKey.get(key)).rejects.toThrow(/Access Key Id/i);
    await expect(wrongKey.put(key, Buffer.from('x'), 'image/png')).rejects.toThrow(/Access Key Id/i);
    const noBucket = s3Storage({ ...s3.settings, bucket: 'no-such-bucket' });
    await expect(noBucket.get(key)).rejects.toThrow(/bucket/i);
    await expect(noBucket.delete(key)).rejects.toThrow(/bucket/i);
    // A port nothing listens on (s3rver's, after asking the OS for a free one and closing it).
    const { createServer } = await import('node:net');
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const unreachable = s3Storage({ ...s3.settings, endpoint: `http://127.0.0.1:${closed}` });
    await expect(unreachable.get(key)).rejects.toThrow(/ECONNREFUSED/);
    expect(await s3.keys()).not.toContain(key);
  });
});

describe('media with MEDIA_STORAGE=s3', () => {
  beforeEach(async () => {
    const { resetDatabase } = await import('../support/db');
    await resetDatabase();
  });

  it('uploads into the bucket, serves the original and generated sizes from it with our headers, and deletes them', async () => {
    const { env } = await import('@/lib/env');
    expect(env().MEDIA_STORAGE).toBe('s3');
    const { getDb } = await import('@/db/client');
    const { mediaBlobs } = await import('@/db/schema');
    const { uploadMedia, deleteMedia } = await import('@/lib/media/mutations');
    const { variantUrl } = await import('@/lib/media/urls');
    const { GET } = await import('@/app/media/[...path]/route');
    const { insertCast, signInAs } = await import('../support/actors');
    const cast = await insertCast();
    signInAs(cast.A);
    const fetchMedia = (address: string, headers: Record<string, string> = {}) => GET(new Request(`http://localhost${address}`, { headers }));

    const png = await sharp({ create: { width: 1000, height: 600, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    const before = await s3.keys();
    const item = await uploadMedia({ file: new File([new Uint8Array(png)], 'chart.png', { type: 'image/png' }) });
    expect((await s3.keys()).filter((key) => !before.includes(key))).toEqual([item.id]);
    expect(await getDb().select().from(mediaBlobs)).toEqual([]); // nothing in PostgreSQL

    const original = await fetchMedia(item.url);
    expect(original.status).toBe(200);
    expect(original.headers.get('content-type')).toBe('image/png');
    expect(original.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(original.headers.get('x-content-type-options')).toBe('nosniff');
    expect(original.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    const body = Buffer.from(await original.arrayBuffer());
    expect(original.headers.get('content-length')).toBe(String(body.length));
    const { s3Storage } = await import('@/lib/media/storage/s3');
    const inBucket = await s3Storage(s3.settings).get(item.id);
    expect(inBucket && body.equals(inBucket.data)).toBe(true);
    expect((await fetchMedia(item.url, { 'If-None-Match': original.headers.get('etag')! })).status).toBe(304);

    const variant = await fetchMedia(variantUrl(item, 640, 'webp'));
    expect(variant.status).toBe(200);
    expect(variant.headers.get('content-type')).toBe('image/webp');
    const small = Buffer.from(await variant.arrayBuffer());
    expect((await sharp(small).metadata()).width).toBe(640);
    expect(await s3.keys()).toContain(`${item.id}/w640.webp`);
    // Served from the bucket afterwards, not generated again: the stored bytes are what comes back.
    const marker = await sharp({ create: { width: 640, height: 384, channels: 3, background: '#000' } })
      .webp()
      .toBuffer();
    await s3Storage(s3.settings).put(`${item.id}/w640.webp`, marker, 'image/webp');
    expect(Buffer.from(await (await fetchMedia(variantUrl(item, 640, 'webp'))).arrayBuffer()).equals(marker)).toBe(true);

    await deleteMedia({ id: item.id });
    expect((await s3.keys()).filter((key) => key.startsWith(item.id))).toEqual([]);
    expect((await fetchMedia(item.url)).status).toBe(404);
    expect((await fetchMedia(variantUrl(item, 640, 'webp'))).status).toBe(404);
  });
});
