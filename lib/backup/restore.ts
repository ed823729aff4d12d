/**
 * `restoreBackup`: checks the whole archive first (every checksum, the schema, an empty target),
 * then in ONE transaction drops the schemas `public` and `drizzle`, rebuilds them from
 * db/migrations up to the archive's tag, and loads every table with COPY. Any failure rolls all of
 * it back: the database is either what it was or exactly what the archive holds.
 */
import { createReadStream } from 'node:fs';
import { cp, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { Logger, runMigrations as migrateJobQueue } from 'graphile-worker';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BackupError, unpackAndVerify, type Manifest } from './archive';
import { BACKUP_SCHEMAS, journal, listTables, loadOrder, migrationsFolder, quoteIdent, quoteTable } from './database';

export type RestoreOptions = {
  databaseUrl: string;
  file: string;
  /** Replace a database (and media directory) that already holds data. */
  force?: boolean;
  mediaStorage: 'postgres' | 'local' | 's3';
  mediaDir?: string;
  log?: (line: string) => void;
};

export async function restoreBackup({ databaseUrl, file, force = false, mediaStorage, mediaDir, log = () => undefined }: RestoreOptions): Promise<Manifest> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-restore-'));
  try {
    const manifest = await unpackAndVerify(path.resolve(file), work);
    log(`archive verified: Broadsheet ${manifest.app.version}, schema ${manifest.schema.tag}, made ${manifest.createdAt}`);
    const statements = await migrationStatements(manifest);
    const mediaTarget = await checkMediaTarget(manifest, { force, mediaStorage, mediaDir });

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await refuseNonEmpty(client, force);
      // The job queue's schema (graphile-worker creates and upgrades it itself; idempotent).
      await migrateJobQueue({ connectionString: databaseUrl, logger: new Logger(() => () => undefined) });
      await client.query('set client_min_messages = warning');
      await client.query('begin');
      try {
        await rebuildSchema(client, statements);
        await loadTables(client, manifest, work, log);
        // Pages a server kept on disk from before the restore must not be served after it (lib/cache/history.ts).
        if ((await client.query(`select to_regclass('public.page_changes') as t`)).rows[0].t) {
          await client.query(`insert into page_changes (change) values ('{"all":true}'::jsonb)`);
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      }
      await client.query('analyze');
    } finally {
      await client.end();
    }

    if (mediaTarget) {
      await replaceDirectory(path.join(work, 'media'), mediaTarget);
      log(`  media directory ${mediaTarget}: ${manifest.media.files} file(s)`);
    }
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The statements of the migrations the archive's database had applied, exactly as drizzle runs them. */
async function migrationStatements(manifest: Manifest): Promise<string[]> {
  const entries = await journal();
  const known = entries[manifest.schema.migrations - 1];
  if (!known || known.tag !== manifest.schema.tag) {
    throw new BackupError(
      `the archive's schema is ${manifest.schema.tag} (Broadsheet ${manifest.app.version}), which this code's db/migrations does not have; ` +
        `restore it with that version of Broadsheet. Nothing was restored.`,
    );
  }
  return readMigrationFiles({ migrationsFolder })
    .slice(0, manifest.schema.migrations)
    .flatMap((migration) => migration.sql)
    .filter((statement) => statement.trim() !== '');
}

async function checkMediaTarget(
  manifest: Manifest,
  { force, mediaStorage, mediaDir }: Pick<RestoreOptions, 'force' | 'mediaStorage' | 'mediaDir'>,
): Promise<string | null> {
  if (manifest.media.files === 0) return null;
  if (mediaStorage !== 'local' || !mediaDir) {
    throw new BackupError(
      `the archive holds ${manifest.media.files} media file(s) from MEDIA_STORAGE=local; set MEDIA_STORAGE=local and MEDIA_DIR to restore them. Nothing was restored.`,
    );
  }
  const target = path.resolve(mediaDir);
  const existing = await readdir(target).catch(() => [] as string[]);
  if (existing.length && !force) {
    throw new BackupError(`the media directory ${target} is not empty; pass --force to replace it. Nothing was restored.`);
  }
  return target;
}

async function refuseNonEmpty(client: pg.Client, force: boolean): Promise<void> {
  const tables = await listTables(client, ['public']);
  const withRows: string[] = [];
  for (const table of tables) {
    const { rowCount } = await client.query(`select 1 from ${quoteTable(table.schema, table.name)} limit 1`);
    if (rowCount) withRows.push(table.name);
  }
  if (withRows.length && !force) {
    const db = (await client.query<{ db: string }>('select current_database() as db')).rows[0].db;
    throw new BackupError(
      `the database ${db} is not empty (${withRows.slice(0, 5).join(', ')}${withRows.length > 5 ? ', …' : ''} have rows); ` +
        'restore into an empty database, or pass --force to replace everything in it. Nothing was restored.',
    );
  }
}

async function rebuildSchema(client: pg.Client, statements: string[]): Promise<void> {
  await client.query('drop schema if exists drizzle cascade');
  await client.query('drop schema if exists public cascade');
  await client.query('create schema public');
  await client.query('grant usage on schema public to public');
  for (const statement of statements) await client.query(statement);
  // The table drizzle's migrator keeps (drizzle-orm/pg-core/dialect.js); its rows come from the archive.
  await client.query('create schema drizzle');
  await client.query('create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)');
}

async function loadTables(client: pg.Client, manifest: Manifest, work: string, log: (line: string) => void): Promise<void> {
  const present = new Map((await listTables(client, BACKUP_SCHEMAS)).map((t) => [`${t.schema}.${t.name}`, t]));
  for (const table of manifest.tables) {
    const target = present.get(`${table.schema}.${table.name}`);
    const missing = table.columns.filter((c) => !target?.columns.includes(c));
    if (!target || missing.length) {
      throw new BackupError(
        `the archive's ${table.schema}.${table.name} ${target ? `has columns this schema lacks (${missing.join(', ')})` : 'does not exist in this schema'}. Nothing was restored.`,
      );
    }
  }
  const archived = manifest.tables.map(({ schema, name, columns }) => ({ schema, name, columns }));
  // Clears what the migrations or an earlier install left (post counts, waiting jobs).
  await client.query(`truncate ${archived.map((t) => quoteTable(t.schema, t.name)).join(', ')}`);
  const byKey = new Map(manifest.tables.map((t) => [`${t.schema}.${t.name}`, t]));
  for (const { schema, name } of await loadOrder(client, archived)) {
    const table = byKey.get(`${schema}.${name}`)!;
    const qualified = quoteTable(schema, name);
    // Triggers (post counts) would count rows twice: the archive has the counts already.
    await client.query(`alter table ${qualified} disable trigger user`);
    const copy = client.query(copyFrom(`copy ${qualified} (${table.columns.map(quoteIdent).join(', ')}) from stdin`));
    await pipeline(createReadStream(path.join(work, table.file)), createGunzip(), copy);
    await client.query(`alter table ${qualified} enable trigger user`);
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${qualified}`);
    if (Number(rows[0].n) !== table.rows) {
      throw new BackupError(`${schema}.${name} loaded ${rows[0].n} row(s), the manifest says ${table.rows}. Nothing was restored.`);
    }
    log(`  ${schema}.${name}: ${table.rows} row(s)`);
  }
  for (const seq of manifest.sequences) {
    await client.query('select setval($1::regclass, $2::bigint, $3)', [quoteTable(seq.schema, seq.name), seq.lastValue, seq.isCalled]);
  }
  // Jobs a worker had taken when the backup was made: no worker of this database holds them.
  for (const queueTable of ['_private_jobs', '_private_job_queues']) {
    const exists = await client.query(`select to_regclass($1) as t`, [`graphile_worker.${queueTable}`]);
    if (exists.rows[0].t) {
      await client.query(`update graphile_worker.${quoteIdent(queueTable)} set locked_at = null, locked_by = null where locked_at is not null`);
    }
  }
}

/** Puts `from` in place of `to` (emptied first with --force), keeping `to` intact if the copy fails. */
async function replaceDirectory(from: string, to: string): Promise<void> {
  const incoming = `${to}.restoring-${process.pid}`;
  const outgoing = `${to}.replaced-${process.pid}`;
  await rm(incoming, { recursive: true, force: true });
  await cp(from, incoming, { recursive: true });
  await rename(to, outgoing).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(incoming, to);
  await rm(outgoing, { recursive: true, force: true });
}
