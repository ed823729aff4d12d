import 'server-only';
import { env } from '@/lib/env';
import { localStorage } from './local';
import { postgresStorage } from './postgres';
import type { StorageDriver } from './types';

export type { StorageDriver, StoredObject } from './types';

let driver: StorageDriver | undefined;

/** The driver MEDIA_STORAGE names (postgres unless set to local). */
export function getStorage(): StorageDriver {
  if (!driver) {
    const { MEDIA_STORAGE, MEDIA_DIR } = env();
    driver = MEDIA_STORAGE === 'local' ? localStorage(MEDIA_DIR) : postgresStorage;
  }
  return driver;
}
