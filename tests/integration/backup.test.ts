/**
 * Backup → fresh database → restore: every table's rows, the feed, the sitemap, an article's
 * rendered HTML and the media bytes are identical, and an account signs in. A non-empty target, a
 * truncated archive, a flipped byte in a table part and an edited manifest are each refused.
 */
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members } from '@/db/schema';
import { signInWithCredentials } from '@/lib/auth/two-factor-signin';
import { hashPassword } from '@/lib/auth/password';
import { createBackup, restoreBackup } from '@/lib/backup';
import { rssFeed } from '@/lib/feeds/build';
import { sitemapXml } from '@/lib/feeds/sitemap';
import { postgresStorage } from '@/lib/media/storage/postgres';
import { db, resetDatabase } from '../support/db';
import { createPost, createUser } from '../support/factories';

const sourceUrl = process.env.DATABASE_URL!;
const freshName = `${new URL(sourceUrl).pathname.slice(1)}_restore`;
const freshUrl = Object.assign(new URL(sourceUrl), { pathname: `/${freshName}` }).toString();

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** md5 of every table's rows, per table, in schemas public and drizzle and the job queue. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ t: string }>(
      // page_changes is the page cache's history: a restore adds "everything changed" to it (checked below).
      `select format('%I.%I', schemaname, tablename) as t from pg_tables
        where schemaname in ('public', 'drizzle', 'graphile_worker') and tablename not in ('migrations', 'page_changes') order by 1`,
    );
    const out: Record<string, string> = {};
    for (const { t } of rows) {
      const r = await client.query<{ h: string | null }>(`select md5(string_agg(x::text, ',' order by x::text)) as h from ${t} x`);
      out[t] = r.rows[0].h ?? 'empty';
    }
    return out;
  });
}

let work: string;
let archive: string;
const mediaDir = () => path.join(work, 'media-src');

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'backup-test-'));
  archive = path.join(work, 'site.tar');
  await withClient(sourceUrl.replace(/\/[^/]*$/, '/postgres'), (client) => client.query(`drop database if exists "${freshName}" with (force)`));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await withClient(sourceUrl.replace(/\/[^/]*$/, '/postgres'), (client) => client.query(`drop database if exists "${freshName}" with (force)`));
});

describe('backup and restore', () => {
  it('round-trips everything into a fresh database and back over a changed one with --force', async () => {
    await resetDatabase();
    const author = await createUser({ name: 'Ada Backup', email: 'ada@example.com', passwordHash: await hashPassword('correct horse battery') });
    const post = await createPost({ author, slug: 'kept-post', tags: ['Archive'], markdown: 'Some **bold** text.\n' });
    await createPost({ author, slug: 'about', kind: 'page', title: 'About' });
    await db().insert(members).values({ email: 'reader@example.com', status: 'subscribed' });
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 255, 0, 7]);
    await postgresStorage.put('img-1', image, 'image/png');
    await mkdir(path.join(mediaDir(), 'img-2'), { recursive: true });
    await writeFile(path.join(mediaDir(), 'img-2', '_self'), image);
    await writeFile(path.join(mediaDir(), 'img-2', '_self_type'), 'image/png');

    const before = await fingerprint(sourceUrl);
    const feed = await rssFeed();
    const sitemap = await sitemapXml();
    const manifest = await createBackup({ databaseUrl: sourceUrl, file: archive, mediaStorage: 'local', mediaDir: mediaDir() });
    expect(manifest.tables.find((t) => t.name === 'posts')?.rows).toBe(2);
    expect(manifest.media.files).toBe(2);

    // A fresh, never-migrated database.
    await withClient(sourceUrl.replace(/\/[^/]*$/, '/postgres'), (client) => client.query(`create database "${freshName}"`));
    const restoredMedia = path.join(work, 'media-restored');
    const restoredFrom = new Date();
    await restoreBackup({ databaseUrl: freshUrl, file: archive, mediaStorage: 'local', mediaDir: restoredMedia });
    expect(await fingerprint(freshUrl)).toEqual(before);
    // Pages a server kept from before the restore are stale from it on (lib/cache/history.ts).
    const lastChange = await withClient(freshUrl, (client) =>
      client.query<{ change: unknown; restored: boolean }>('select change, at >= $1 as restored from page_changes order by id desc limit 1', [restoredFrom]),
    );
    expect(lastChange.rows).toEqual([{ change: { all: true }, restored: true }]);
    expect(await readFile(path.join(restoredMedia, 'img-2', '_self'))).toEqual(image);

    // The non-empty source: refused without --force, replaced with it.
    await db().execute(sql`delete from members`);
    await createPost({ author, slug: 'added-after-backup' });
    await expect(restoreBackup({ databaseUrl: sourceUrl, file: archive, mediaStorage: 'postgres' })).rejects.toThrow(/MEDIA_STORAGE=local/);
    await expect(restoreBackup({ databaseUrl: sourceUrl, file: archive, mediaStorage: 'local', mediaDir: path.join(work, 'empty-media') })).rejects.toThrow(
      /is not empty .*--force/,
    );
    await restoreBackup({ databaseUrl: sourceUrl, file: archive, mediaStorage: 'local', mediaDir: mediaDir(), force: true });
    expect(await fingerprint(sourceUrl)).toEqual(before);
    expect(await rssFeed()).toBe(feed);
    expect(await sitemapXml()).toBe(sitemap);
    const {
      rows: [row],
    } = await db().execute<{ html: string }>(sql`select html from posts where slug = 'kept-post'`);
    expect(row.html).toBe(post.html);
    expect((await postgresStorage.get('img-1'))?.data).toEqual(image);
    expect(await signInWithCredentials({ email: 'ada@example.com', password: 'correct horse battery' }, '127.0.0.1')).toEqual({ ok: true, id: author.id });
  });

  it('refuses a truncated archive, a flipped byte and an edited manifest, changing nothing', async () => {
    const before = await fingerprint(freshUrl);
    const attempt = (file: string) => restoreBackup({ databaseUrl: freshUrl, file, force: true, mediaStorage: 'local', mediaDir: path.join(work, 'unused') });

    const cut = path.join(work, 'cut.tar');
    await writeFile(cut, await readFile(archive));
    await truncate(cut, Math.floor((await readFile(archive)).length / 2));
    await expect(attempt(cut)).rejects.toThrow(/not a usable Broadsheet backup/);

    // Unpack, change one byte of a table part (or one character of the manifest), pack again.
    const tamper = async (name: string, edit: (dir: string) => Promise<void>) => {
      const dir = path.join(work, name);
      await mkdir(dir);
      await tar.extract({ file: archive, cwd: dir });
      await edit(dir);
      const file = path.join(work, `${name}.tar`);
      await tar.create({ file, cwd: dir, portable: true }, ['manifest.json', 'manifest.sha256', 'db', 'media']);
      return file;
    };
    const flipped = await tamper('flipped', async (dir) => {
      const part = path.join(dir, 'db/public.posts.copy.gz');
      const bytes = await readFile(part);
      bytes[bytes.length >> 1] ^= 0x01;
      await writeFile(part, bytes);
    });
    await expect(attempt(flipped)).rejects.toThrow(/checksum of db\/public\.posts\.copy\.gz does not match/);

    const edited = await tamper('edited', async (dir) => {
      const text = await readFile(path.join(dir, 'manifest.json'), 'utf8');
      await writeFile(path.join(dir, 'manifest.json'), text.replace('"rows": 2', '"rows": 3'));
    });
    await expect(attempt(edited)).rejects.toThrow(/checksum of manifest\.json does not match/);

    expect(await fingerprint(freshUrl)).toEqual(before);
  });
});
