/** Catalogue queries shared by backup and restore: which tables, columns, sequences and FK edges. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

export const root = path.resolve(import.meta.dirname, '../..');
export const migrationsFolder = path.join(root, 'db/migrations');

/**
 * public: everything Broadsheet stores, media bytes included (table media_blobs).
 * drizzle: which migrations were applied. graphile_worker: the job queue, so jobs waiting or in
 * flight (a newsletter half sent, a scheduled webhook) run after a restore; its `migrations` table
 * is left out: graphile-worker writes it itself when it creates its schema.
 */
export const BACKUP_SCHEMAS = ['public', 'drizzle', 'graphile_worker'];
const SKIPPED = new Set(['graphile_worker.migrations']);

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteTable = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

export type TableInfo = { schema: string; name: string; columns: string[] };

/** Ordinary tables of `schemas` with their stored columns (generated columns are recomputed, never copied). */
export async function listTables(client: pg.Client, schemas: string[]): Promise<TableInfo[]> {
  const { rows } = await client.query<{ schema: string; name: string; columns: string[] }>(
    `select n.nspname as schema, c.relname as name,
            array_agg(a.attname::text order by a.attnum) as columns
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where c.relkind = 'r' and n.nspname = any($1::text[])
      group by 1, 2
      order by 1, 2`,
    [schemas],
  );
  return rows.filter((row) => !SKIPPED.has(`${row.schema}.${row.name}`));
}

export async function listSequences(client: pg.Client, schemas: string[]) {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `select schemaname as schema, sequencename as name from pg_sequences where schemaname = any($1::text[]) order by 1, 2`,
    [schemas],
  );
  const out: { schema: string; name: string; lastValue: string; isCalled: boolean }[] = [];
  for (const { schema, name } of rows) {
    const state = await client.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${quoteTable(schema, name)}`);
    out.push({ schema, name, lastValue: state.rows[0].last_value, isCalled: state.rows[0].is_called });
  }
  return out;
}

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
export async function loadOrder(client: pg.Client, tables: TableInfo[]): Promise<TableInfo[]> {
  const key = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;
  const { rows } = await client.query<{ from_schema: string; from_name: string; to_schema: string; to_name: string }>(
    `select fn.nspname as from_schema, fc.relname as from_name, tn.nspname as to_schema, tc.relname as to_name
       from pg_constraint k
       join pg_class fc on fc.oid = k.conrelid join pg_namespace fn on fn.oid = fc.relnamespace
       join pg_class tc on tc.oid = k.confrelid join pg_namespace tn on tn.oid = tc.relnamespace
      where k.contype = 'f' and k.conrelid <> k.confrelid`,
  );
  const dependsOn = new Map<string, Set<string>>();
  for (const row of rows) {
    const from = `${row.from_schema}.${row.from_name}`;
    if (!dependsOn.has(from)) dependsOn.set(from, new Set());
    dependsOn.get(from)!.add(`${row.to_schema}.${row.to_name}`);
  }
  const byKey = new Map(tables.map((t) => [key(t), t]));
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (k: string) => {
    if (state.get(k) === 'done') return;
    if (state.get(k) === 'visiting') throw new Error(`foreign keys form a cycle through ${k}; cannot order the restore`);
    state.set(k, 'visiting');
    for (const dep of dependsOn.get(k) ?? []) if (byKey.has(dep)) visit(dep);
    state.set(k, 'done');
    ordered.push(byKey.get(k)!);
  };
  for (const t of tables) visit(key(t));
  return ordered;
}

export type JournalEntry = { idx: number; tag: string; when: number };

export async function journal(): Promise<JournalEntry[]> {
  const parsed = JSON.parse(await readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return parsed.entries;
}
