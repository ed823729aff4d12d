/**
 * `npm run restore -- FILE [--force]`: restores an archive made by `npm run backup` into an empty
 * database; with --force, replaces everything in a database that has data. The whole archive is
 * checked first: a truncated or altered archive is refused and nothing changes. Stop the site first.
 */
import { parseArgs } from 'node:util';
import { BackupError, backupEnv, restoreBackup } from '@/lib/backup';

const USAGE = 'usage: npm run restore -- FILE [--force]';

let file: string | undefined;
let force = false;
try {
  const { positionals, values } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new Error('give exactly one FILE to restore.');
  file = positionals[0];
  force = values.force ?? false;
} catch (error) {
  console.error(`Error: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

try {
  const env = backupEnv();
  console.log(`Restoring ${file}${force ? ' (--force: replacing what is there)' : ''}…`);
  const manifest = await restoreBackup({
    databaseUrl: env.DATABASE_URL,
    file,
    force,
    mediaStorage: env.MEDIA_STORAGE,
    mediaDir: env.MEDIA_DIR,
    log: (line) => console.log(line),
  });
  const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  console.log(`Restored ${rows} rows in ${manifest.tables.length} tables and ${manifest.media.files} media file(s) from ${file}.`);
} catch (error) {
  console.error(error instanceof BackupError ? `Error: ${error.message}` : `Error: restore failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
