import 'server-only';
import type { S3Client } from '@aws-sdk/client-s3';
import { assertStorageKey, type StorageDriver } from './types';

/**
 * Objects in one S3 bucket (MEDIA_STORAGE=s3): AWS S3 or anything speaking its API (MinIO, R2,
 * Ceph, …) through S3_ENDPOINT. Key `a` is object `a`, key `a/w640.webp` object `a/w640.webp`,
 * the content type is the object's Content-Type. The bucket stays private: readers get the bytes
 * from lib/media/serve.ts, with our caching and security headers, never a bucket URL.
 */
export type S3Settings = {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
};

/** DeleteObjects takes at most this many keys a request. */
const DELETE_BATCH = 1000;

export function s3Storage(settings: S3Settings): StorageDriver {
  // The SDK is loaded on first use, so sites on the other drivers never pay for it.
  let client: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | undefined;
  const connect = () =>
    (client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region: settings.region,
        endpoint: settings.endpoint,
        forcePathStyle: settings.forcePathStyle,
        credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
        // Checksums only where S3 requires them (DeleteObjects): many S3-compatible servers reject
        // or mangle the flexible checksums newer SDKs add by default; TLS and Content-Length cover transport.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
        // A stalled bucket must not hold an image request (or an upload) forever.
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
      }),
    })));
  const Bucket = settings.bucket;

  async function removeKeys(keys: string[]): Promise<void> {
    const { s3, sdk } = await connect();
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const result = await s3.send(new sdk.DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      const failed = result.Errors ?? [];
      if (failed.length) throw new Error(`S3 could not delete ${failed.map((error) => `${error.Key} (${error.Code})`).join(', ')}`);
    }
  }

  return {
    async put(key, data, contentType) {
      assertStorageKey(key);
      const { s3, sdk } = await connect();
      // One PUT replaces the object atomically: a reader sees the old bytes or the new, never half.
      await s3.send(new sdk.PutObjectCommand({ Bucket, Key: key, Body: data, ContentType: contentType, ContentLength: data.length }));
    },
    async get(key) {
      assertStorageKey(key);
      const { s3, sdk } = await connect();
      try {
        const object = await s3.send(new sdk.GetObjectCommand({ Bucket, Key: key }));
        if (!object.Body) return null;
        const data = Buffer.from(await object.Body.transformToByteArray());
        return { data, contentType: object.ContentType || 'application/octet-stream' };
      } catch (error) {
        // Only a missing object is "no such image": a missing bucket (also a 404) is a broken setup, and says so.
        if (error instanceof sdk.NoSuchKey || (error as Error).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async delete(prefix) {
      assertStorageKey(prefix);
      const { s3, sdk } = await connect();
      const keys = [prefix];
      // A media key owns everything under `<key>/` (its generated sizes); a variant key is one object.
      if (!prefix.includes('/')) {
        for await (const page of sdk.paginateListObjectsV2({ client: s3 }, { Bucket, Prefix: `${prefix}/` })) {
          for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        }
      }
      await removeKeys(keys);
    },
  };
}
