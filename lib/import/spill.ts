import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConvertedBody } from './types';

/**
 * Converted bodies wait on disk between reading the export and writing them, so an import's
 * memory does not grow with the export: 10,000 posts of ~1,000 words are ~70 MB of markdown, which
 * held in the heap until written cost ~150 MB of RSS (V8 sizes its heap to a multiple of what is
 * live). One file in the temp directory, written and read synchronously (small, sequential writes
 * that stay in the page cache), removed when the import ends.
 */
export class BodySpill {
  private readonly dir: string;
  private readonly fd: number;
  private end = 0;

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-import-bodies-'));
    this.fd = openSync(path.join(this.dir, 'bodies'), 'w+', 0o600);
  }

  /** The body with its markdown on disk (`spilled`) instead of in memory. */
  keep(body: ConvertedBody): ConvertedBody {
    const bytes = Buffer.from(body.markdown, 'utf8');
    const offset = this.end;
    writeSync(this.fd, bytes, 0, bytes.length, offset);
    this.end += bytes.length;
    return { ...body, markdown: '', spilled: { offset, bytes: bytes.length } };
  }

  /** The body's markdown, from disk if it was kept there. */
  markdown(body: ConvertedBody): string {
    if (!body.spilled) return body.markdown;
    const bytes = Buffer.allocUnsafe(body.spilled.bytes);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(this.fd, bytes, read, bytes.length - read, body.spilled.offset + read);
      if (n === 0) throw new Error('the import lost a converted body (its temporary file is shorter than written)');
      read += n;
    }
    return bytes.toString('utf8');
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
