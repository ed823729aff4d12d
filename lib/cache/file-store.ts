import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';

/** Files being written: renamed to their key's name once whole, so a crash never leaves half a value. */
const PARTIAL = '.partial-';
const FILE_NAME = /^[0-9a-f]{40}$/;

/**
 * Bytes by key, one file per key in a directory, bounded in bytes (the least recently read goes
 * first, its file deleted): the local disk tier of the page cache (lib/cache/page-cache.ts) and of
 * the kept responses (lib/server/replay.ts). A file is named after its key's hash, so the files a
 * previous process left are found again: they are listed at start, oldest first, and half-written
 * ones are removed. Writes and removals of one file run in turn, in the background; a read waits
 * for the last of them.
 */
export class FileStore {
  /** Files on disk and their sizes, by name. */
  private readonly files: LRUCache<string, number>;
  /** The last write or removal of each file still in progress: the next one waits for it. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly dir: string,
    maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.files = new LRUCache<string, number>({
      maxSize: maxBytes,
      sizeCalculation: (size) => Math.max(size, 1),
      dispose: (_size, name, reason) => {
        if (reason !== 'set') void this.inTurn(name, () => unlink(join(dir, name)));
      },
    });
    this.adoptFiles();
  }

  /** The files a previous process left, oldest first, so the LRU evicts them first. */
  private adoptFiles(): void {
    const files: { name: string; size: number; mtime: number }[] = [];
    for (const name of readdirSync(this.dir)) {
      try {
        if (name.startsWith(PARTIAL)) unlinkSync(join(this.dir, name));
        else if (FILE_NAME.test(name)) {
          const stat = statSync(join(this.dir, name));
          files.push({ name, size: stat.size, mtime: stat.mtimeMs });
        }
      } catch {
        // Gone meanwhile.
      }
    }
    files.sort((a, b) => a.mtime - b.mtime);
    for (const { name, size } of files) this.files.set(name, size);
  }

  /** Runs `task` on the file `name` after whatever was last begun on it; failures are swallowed. */
  private inTurn(name: string, task: () => Promise<unknown>): Promise<void> {
    const done = (this.pending.get(name) ?? Promise.resolve())
      .then(task)
      .then(
        () => {},
        () => {},
      )
      .finally(() => {
        if (this.pending.get(name) === done) this.pending.delete(name);
      });
    this.pending.set(name, done);
    return done;
  }

  private nameOf(key: string): string {
    return createHash('sha1').update(key).digest('hex');
  }

  /** Whether a file for `key` is listed (and so worth reading), counting as a read for the LRU. */
  has(key: string): boolean {
    return this.files.get(this.nameOf(key)) !== undefined;
  }

  /** Keeps `bytes` as `key`'s file (in the background), replacing what was there. */
  write(key: string, bytes: Buffer): void {
    const name = this.nameOf(key);
    const file = join(this.dir, name);
    const partial = join(this.dir, `${PARTIAL}${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);
    this.files.set(name, bytes.length);
    // Larger than the whole budget: not listed, so not written.
    if (!this.files.has(name)) return;
    void this.inTurn(name, () =>
      writeFile(partial, bytes)
        .then(() => rename(partial, file))
        .catch((error: unknown) => {
          // A full or read-only disk: the file is not there, so it is not listed either.
          if (this.files.peek(name) === bytes.length) this.files.delete(name);
          return unlink(partial).catch(() => Promise.reject(error));
        }),
    );
  }

  /** `key`'s bytes, or null when it has no file (or its file is gone). */
  async read(key: string): Promise<Buffer | null> {
    const name = this.nameOf(key);
    if (this.files.get(name) === undefined) return null;
    await this.pending.get(name);
    try {
      return await readFile(join(this.dir, name));
    } catch {
      // Removed meanwhile: no longer listed.
      if (this.files.peek(name) !== undefined && !this.pending.has(name)) this.files.delete(name);
      return null;
    }
  }

  /** Forgets `key`: its file is deleted. */
  delete(key: string): void {
    this.files.delete(this.nameOf(key));
  }

  /** Writes and removals still in progress (for tests and a clean stop). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending.values());
  }
}
