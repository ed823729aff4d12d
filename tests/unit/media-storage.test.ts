import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localStorage } from '@/lib/media/storage/local';
import { assertStorageKey, type StorageDriver } from '@/lib/media/storage/types';

let dir: string;
let storage: StorageDriver;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'media-'));
  storage = localStorage(path.join(dir, 'media'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('storage keys', () => {
  it.each(['abc-123', 'abc-123/w640.webp', '9b2e4c1a-5d6f-4a8b-9c0d-1e2f3a4b5c6d/w320.avif'])('accepts %s', (key) => {
    expect(() => assertStorageKey(key)).not.toThrow();
  });
  it.each(['', '..', '../x', 'a/..', 'a/.', 'a/../../etc', '/abs', 'a/b/c', 'A', 'a_b', 'a/b_type', 'a\\b', 'a/%2e%2e', 'a%', 'a/'])('refuses %j', (key) => {
    expect(() => assertStorageKey(key)).toThrow();
  });
});

describe('local storage driver', () => {
  it('puts, gets and deletes a key with everything under it', async () => {
    await storage.put('abc', Buffer.from('original'), 'image/png');
    await storage.put('abc/w320.webp', Buffer.from('small'), 'image/webp');
    await storage.put('abd', Buffer.from('other'), 'image/jpeg');
    expect(await storage.get('abc')).toEqual({ data: Buffer.from('original'), contentType: 'image/png' });
    expect(await storage.get('abc/w320.webp')).toEqual({ data: Buffer.from('small'), contentType: 'image/webp' });
    expect(await storage.get('abc/w640.webp')).toBeNull();
    expect(await storage.get('zzz')).toBeNull();
    // A second writer of the same key simply wins.
    await Promise.all([storage.put('abc/w320.webp', Buffer.from('one'), 'image/webp'), storage.put('abc/w320.webp', Buffer.from('one'), 'image/webp')]);
    expect((await storage.get('abc/w320.webp'))?.data.toString()).toBe('one');
    await storage.delete('abc');
    expect(await storage.get('abc')).toBeNull();
    expect(await storage.get('abc/w320.webp')).toBeNull();
    expect(await storage.get('abd')).not.toBeNull();
    expect(await readdir(path.join(dir, 'media'))).toEqual(['abd']);
  });

  it('cannot be pointed outside its directory', async () => {
    await expect(storage.put('../escape', Buffer.from('x'), 'image/png')).rejects.toThrow();
    await expect(storage.get('a/..')).rejects.toThrow();
    await expect(storage.delete('..')).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});
