import 'server-only';
import { env } from '@/lib/env';
import { localStorage } from './local';
import { postgresStorage } from './postgres';
import { s3Storage } from './s3';
import type { StorageDriver } from './types';

export type { StorageDriver, StoredObject } from './types';

let driver: StorageDriver | undefined;

/** The driver MEDIA_STORAGE names (postgres unless set to local or s3). */
export function getStorage(): StorageDriver {
  driver ??= fromEnv();
  return driver;
}

function fromEnv(): StorageDriver {
  const settings = env();
  switch (settings.MEDIA_STORAGE) {
    case 'local':
      return localStorage(settings.MEDIA_DIR);
    case 's3':
      // lib/env.ts refuses MEDIA_STORAGE=s3 without the bucket, region and credentials.
      return s3Storage({
        bucket: settings.S3_BUCKET!,
        region: settings.S3_REGION!,
        endpoint: settings.S3_ENDPOINT,
        accessKeyId: settings.S3_ACCESS_KEY_ID!,
        secretAccessKey: settings.S3_SECRET_ACCESS_KEY!,
        forcePathStyle: settings.S3_FORCE_PATH_STYLE,
      });
    default:
      return postgresStorage;
  }
}
