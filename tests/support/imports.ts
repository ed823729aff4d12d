/** Import-test helpers: the fixtures pointed at a running "old site", a run of the importer, and a snapshot of every table it writes. */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { runImport, type ImportOptions } from '@/lib/import/apply';
import { fixtureText } from './import-fixtures';

export { fixtureText } from './import-fixtures';

export function importFixture(name: string, siteUrl: string, options: Partial<ImportOptions> = {}) {
  return runImport({
    from: name.startsWith('ghost/') ? 'ghost' : 'wordpress',
    input: Readable.from([fixtureText(name, siteUrl)]),
    dryRun: false,
    media: true,
    actorId: null,
    ...options,
  });
}

export function importText(from: 'wordpress' | 'ghost', text: string, options: Partial<ImportOptions> = {}) {
  return runImport({ from, input: Readable.from([text]), dryRun: false, media: true, actorId: null, ...options });
}

/** Every row an import may write, in a stable order: equal snapshots mean nothing changed. */
export async function importSnapshot(): Promise<Record<string, unknown[]>> {
  const db = getDb();
  const all = async (query: string) => (await db.execute(sql.raw(query))).rows;
  return {
    users: await all('select * from users order by slug'),
    posts: await all('select * from posts order by slug'),
    tags: await all('select * from tags order by slug'),
    postTags: await all('select * from post_tags order by post_id, position'),
    revisions: await all('select * from post_revisions order by post_id, version, id'),
    media: await all('select * from media order by id'),
    blobs: await all('select key, length(data) from media_blobs order by key'),
    redirects: await all('select * from redirects order by from_path'),
    navigation: await all('select * from navigation_items order by menu, position'),
    keys: await all('select * from import_keys order by source, entity, source_id'),
    audit: await all('select action, target_id from audit_log order by id'),
  };
}
