/**
 * Where the bytes of images live. Keys are `<media key>` for a cleaned original and
 * `<media key>/<variant>` for generated sizes; `delete(prefix)` removes a key and everything under it.
 * Small on purpose: each backend (./postgres.ts, ./local.ts, ./s3.ts) is one file implementing these three calls.
 */
export type StoredObject = { data: Buffer; contentType: string };

export type StorageDriver = {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  delete(prefix: string): Promise<void>;
};

/** `abc-123` or `abc-123/w640.webp`: no dots-only segments, no slashes beyond one, nothing to escape. */
const KEY = /^[a-z0-9-]+(?:\/[a-z0-9][a-z0-9.-]*)?$/;

export function assertStorageKey(key: string): void {
  if (typeof key !== 'string' || key.length > 200 || !KEY.test(key)) throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
}
