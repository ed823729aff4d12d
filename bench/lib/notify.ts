/**
 * ──────────────────────────────────────────────────────────────────────────────────────────────
 * THE ONE CALL SITE that tells running servers about a change the benchmark wrote straight into
 * the database (the scheduled posts of the freshness check), the way a CLI import does.
 * Writes made through the editor's server actions need nothing from here: the server that ran the
 * action announces them itself.
 * ──────────────────────────────────────────────────────────────────────────────────────────────
 * When lib/cache/notify.ts exports `notifyChange` (PostgreSQL NOTIFY to every server), it is
 * called; without it there is nobody to tell and the servers see the rows when they next read.
 * The module is loaded by path at run time, so the bench compiles and runs with or without it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type Change = { posts?: string[]; lists?: boolean; all?: boolean };
export type Notifier = { via: string; announce(change: Change): Promise<void>; close(): Promise<void> };

const root = path.resolve(import.meta.dirname, '../..');

async function load(file: string): Promise<Record<string, unknown> | null> {
  const full = path.join(root, file);
  return existsSync(full) ? ((await import(pathToFileURL(full).href)) as Record<string, unknown>) : null;
}

/**
 * The notifier for the bench database. lib/cache/notify.ts reaches the database through db/client,
 * which reads DATABASE_URL once: it is pointed at the bench database before the first import.
 * Needs `node --conditions=react-server` (the module is server-only).
 */
export async function createNotifier(databaseUrl: string): Promise<Notifier> {
  process.env.DATABASE_URL = databaseUrl;
  const notify = await load('lib/cache/notify.ts');
  const notifyChange = notify?.notifyChange;
  if (typeof notifyChange !== 'function') {
    return { via: 'none (lib/cache/notify.ts has no notifyChange)', announce: async () => undefined, close: async () => undefined };
  }
  const client = await load('db/client.ts');
  return {
    via: 'lib/cache/notify.ts notifyChange()',
    announce: async (change) => {
      await (notifyChange as (change: Change) => Promise<void>)(change);
    },
    close: async () => {
      const closeDb = client?.closeDb;
      if (typeof closeDb === 'function') await (closeDb as () => Promise<void>)();
    },
  };
}
