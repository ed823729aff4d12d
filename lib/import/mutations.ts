import 'server-only';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ValidationError } from '@/lib/auth/errors';
import { announce } from '@/lib/cache/revalidate';
import { requireCapability } from '@/lib/users/admin-queries';
import { importInChild } from './child';
import { MAX_IMPORT_BYTES } from './limits';
import type { ImportProgress, ImportReport } from './report';

/**
 * The admin page's import (/editor/import): the export is uploaded once and kept in a staging
 * folder, checked by a dry run, then imported from the same file. Admins only, decided here.
 */

const STAGING = path.join(os.tmpdir(), 'broadsheet-imports');
/** A staged export nobody imported is removed after a day. */
const STAGED_MS = 24 * 60 * 60 * 1000;

export const stagedIdSchema = z.uuid('Unknown upload: upload the export again.');
export const importSourceSchema = z.enum(['wordpress', 'ghost'], { message: 'Choose WordPress or Ghost.' });
export const runInputSchema = z.object({
  id: stagedIdSchema,
  dryRun: z.boolean(),
  media: z.boolean(),
  siteUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/, message: 'The old site address must be an http(s) URL.' })]).default(''),
});

type Staged = { from: 'wordpress' | 'ghost'; name: string; bytes: number; by: string };

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new ValidationError(result.error.issues[0].message);
  return result.data;
}

async function sweep(): Promise<void> {
  const names = await readdir(STAGING).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    const file = path.join(STAGING, name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > STAGED_MS) await rm(file, { force: true });
  }
}

/** Keeps an uploaded export (streamed to disk, at most MAX_IMPORT_BYTES) and returns its id. */
export async function stageImport(input: { from: unknown; name: unknown; body: ReadableStream<Uint8Array> | null }): Promise<{ id: string; bytes: number }> {
  const viewer = await requireCapability('importContent');
  const from = parse(importSourceSchema, input.from);
  const name = parse(z.string().trim().max(200).default('export'), input.name ?? 'export');
  if (!input.body) throw new ValidationError('Choose an export file to upload.');
  await mkdir(STAGING, { recursive: true, mode: 0o700 });
  await sweep();
  const id = randomUUID();
  const file = path.join(STAGING, `${id}.export`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > MAX_IMPORT_BYTES)
        done(new ValidationError(`The export is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: import it with npm run content:import.`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(input.body as import('node:stream/web').ReadableStream), limit, createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof ValidationError) throw error;
    throw new ValidationError('The upload did not arrive whole: try again.');
  }
  if (bytes === 0) {
    await rm(file, { force: true });
    throw new ValidationError('The file is empty.');
  }
  const staged: Staged = { from, name, bytes, by: viewer.id };
  await writeFile(path.join(STAGING, `${id}.json`), JSON.stringify(staged), { mode: 0o600 });
  return { id, bytes };
}

/**
 * A staged export, ready to run: a dry run (nothing kept) or the import itself, which then forgets
 * every cached page and removes the staged file. Only the admin who uploaded it may run it; the
 * checks happen here, before anything starts, so a refusal can be answered as one.
 */
export async function prepareStagedImport(raw: unknown): Promise<{ run: (onProgress?: (progress: ImportProgress) => void) => Promise<ImportReport> }> {
  const viewer = await requireCapability('importContent');
  const input = parse(runInputSchema, raw);
  const meta = path.join(STAGING, `${input.id}.json`);
  const file = path.join(STAGING, `${input.id}.export`);
  const staged = await readFile(meta, 'utf8')
    .then((text) => JSON.parse(text) as Staged)
    .catch(() => null);
  if (!staged || staged.by !== viewer.id) throw new ValidationError('Unknown upload: upload the export again.');
  return {
    run: async (onProgress) => {
      const args = ['--from', staged.from, file, '--actor', viewer.id];
      if (input.dryRun) args.push('--dry-run');
      if (!input.media) args.push('--no-media');
      if (input.siteUrl) args.push('--site-url', input.siteUrl);
      const report = await importInChild(args, onProgress);
      if (!input.dryRun) {
        await Promise.all([rm(file, { force: true }), rm(meta, { force: true })]);
        await announce({ all: true });
      }
      return report;
    },
  };
}
