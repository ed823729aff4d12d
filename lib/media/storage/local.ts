import 'server-only';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertStorageKey, type StorageDriver } from './types';

/**
 * Files under one directory (MEDIA_STORAGE=local). Key `a` is stored as `a/_self`, key `a/b` as
 * `a/b`, each with a `…_type` file holding its content type: keys never contain `_`, so these names
 * cannot collide, and validated keys (see ./types.ts) cannot leave the directory.
 */
export function localStorage(directory: string): StorageDriver {
  // turbopackIgnore: the directory is a runtime setting, not part of the build to trace.
  const root = path.resolve(/*turbopackIgnore: true*/ directory);
  const fileOf = (key: string) => {
    assertStorageKey(key);
    const [head, tail] = key.split('/');
    const file = path.join(/*turbopackIgnore: true*/ root, head, tail ?? '_self');
    if (!file.startsWith(root + path.sep)) throw new Error('Invalid storage key');
    return file;
  };
  return {
    async put(key, data, contentType) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Write then rename: a reader (or a second writer of the same variant) never sees half a file.
      for (const [target, body] of [
        [`${file}_type`, contentType],
        [file, data],
      ] as const) {
        const temp = `${target}_${randomUUID()}`;
        await writeFile(temp, body);
        await rename(temp, target);
      }
    },
    async get(key) {
      const file = fileOf(key);
      try {
        const [data, contentType] = await Promise.all([readFile(/*turbopackIgnore: true*/ file), readFile(/*turbopackIgnore: true*/ `${file}_type`, 'utf8')]);
        return { data, contentType };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(prefix) {
      const file = fileOf(prefix);
      if (prefix.includes('/')) {
        await Promise.all([rm(file, { force: true }), rm(`${file}_type`, { force: true })]);
      } else {
        await rm(path.dirname(file), { recursive: true, force: true });
      }
    },
  };
}
