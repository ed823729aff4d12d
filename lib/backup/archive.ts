/**
 * The backup archive: a plain tar holding
 *   manifest.json    what is inside (app version, schema, row counts, sha256 and size of every part)
 *   manifest.sha256  the sha256 of manifest.json, so an edited manifest is refused too
 *   db/<schema>.<table>.copy.gz   each table's rows in PostgreSQL's COPY text format, gzipped
 *   media/…          the MEDIA_STORAGE=local directory, byte for byte
 * The tar itself is not compressed, so every part's checksum covers the bytes as stored: a flipped
 * or missing byte anywhere is caught before anything is restored. A checksum is an integrity check,
 * not a signature: whoever can rewrite the whole archive can also rewrite its checksums.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { z } from 'zod';

export const FORMAT = 'broadsheet-backup';
export const FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const MANIFEST_SUM = 'manifest.sha256';

/** A part's path inside the archive: `db/…` or `media/…`, no `..`, nothing absolute. */
const partPath = z
  .string()
  .regex(/^(db|media)\/[A-Za-z0-9._\-/]+$/, 'is not a valid part path')
  .refine((p) => !p.split('/').some((segment) => segment === '' || segment === '.' || segment === '..'), 'is not a valid part path');
const identifier = z.string().min(1).max(63);

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  createdAt: z.iso.datetime(),
  app: z.object({ name: z.string(), version: z.string() }),
  /** The last migration applied (db/migrations/meta/_journal.json) and how many were applied. */
  schema: z.object({ tag: z.string().min(1), migrations: z.number().int().min(1) }),
  postgres: z.object({ serverVersion: z.string() }),
  media: z.object({ storage: z.enum(['postgres', 'local', 's3']), files: z.number().int().min(0) }),
  tables: z.array(
    z.object({
      schema: identifier,
      name: identifier,
      columns: z.array(identifier).min(1),
      rows: z.number().int().min(0),
      file: partPath,
    }),
  ),
  sequences: z.array(z.object({ schema: identifier, name: identifier, lastValue: z.string().regex(/^-?\d+$/), isCalled: z.boolean() })),
  files: z.record(partPath, z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) })),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** A refusal the operator should read: a bad archive, a non-empty target. Nothing was changed. */
export class BackupError extends Error {}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Every regular file under `dir`, as paths relative to it with `/` separators. Symlinks are refused. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (entry.isFile()) out.push(rel);
    else throw new BackupError(`${path.join(dir, rel)} is not a regular file or directory; refusing to back it up.`);
  }
  return out.sort();
}

/** Writes the tar: manifest first, then every part in manifest order. */
export async function packArchive(stagingDir: string, file: string, manifest: Manifest): Promise<void> {
  await tar.create({ file, cwd: stagingDir, portable: true, noDirRecurse: true }, [MANIFEST, MANIFEST_SUM, ...Object.keys(manifest.files)]);
}

/**
 * Unpacks `file` into `dir` (empty) and checks it against its manifest: the manifest's own checksum,
 * its shape, then the size and sha256 of every part, and that nothing else is there. Throws a
 * BackupError that says what is wrong; returns the manifest when everything matches.
 */
export async function unpackAndVerify(file: string, dir: string): Promise<Manifest> {
  const corrupt = (why: string) => new BackupError(`${file} is not a usable Broadsheet backup: ${why}. It may be truncated or altered; nothing was restored.`);
  try {
    await lstat(file);
  } catch {
    throw new BackupError(`${file} does not exist.`);
  }
  const unexpected: string[] = [];
  try {
    await tar.extract({
      file,
      cwd: dir,
      strict: true,
      preservePaths: false,
      filter: (entryPath, entry) => {
        const type = 'type' in entry ? entry.type : 'File';
        if (type === 'Directory') return true;
        if (type !== 'File' && type !== 'OldFile' && type !== 'ContiguousFile') {
          unexpected.push(entryPath);
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    throw corrupt(`the tar cannot be read (${(error as Error).message})`);
  }
  if (unexpected.length) throw corrupt(`it holds entries that are not files (${unexpected.slice(0, 3).join(', ')})`);

  let manifestBytes: Buffer;
  let expectedSum: string;
  try {
    manifestBytes = await readFile(path.join(dir, MANIFEST));
    expectedSum = (await readFile(path.join(dir, MANIFEST_SUM), 'utf8')).trim();
  } catch {
    throw corrupt(`${MANIFEST} or ${MANIFEST_SUM} is missing`);
  }
  if (sha256(manifestBytes) !== expectedSum) throw corrupt(`the checksum of ${MANIFEST} does not match ${MANIFEST_SUM}`);
  let parsed: ReturnType<typeof manifestSchema.safeParse>;
  try {
    parsed = manifestSchema.safeParse(JSON.parse(manifestBytes.toString('utf8')));
  } catch {
    throw corrupt(`${MANIFEST} is not JSON`);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(`${MANIFEST} is not valid (${issue.path.join('.') || 'root'}: ${issue.message})`);
  }
  const manifest = parsed.data;

  const present = new Set(await listFiles(dir));
  present.delete(MANIFEST);
  present.delete(MANIFEST_SUM);
  for (const [part, expected] of Object.entries(manifest.files)) {
    if (!present.delete(part)) throw corrupt(`${part} is missing`);
    const actual = await sha256File(path.join(dir, part));
    if (actual.bytes !== expected.bytes) throw corrupt(`${part} has ${actual.bytes} bytes, the manifest says ${expected.bytes}`);
    if (actual.sha256 !== expected.sha256) throw corrupt(`the checksum of ${part} does not match the manifest`);
  }
  if (present.size) throw corrupt(`it holds files the manifest does not list (${[...present].slice(0, 3).join(', ')})`);
  for (const table of manifest.tables) {
    if (!manifest.files[table.file]) throw corrupt(`${MANIFEST} names ${table.file} for ${table.schema}.${table.name} but has no checksum for it`);
  }
  return manifest;
}
