/**
 * `npm run backup -- FILE`: writes one archive of everything (the database, media included, and the
 * MEDIA_STORAGE=local directory) with a manifest of versions, row counts and checksums.
 */
import { parseArgs } from 'node:util';
import { backupEnv, createBackup } from '@/lib/backup';

const USAGE = 'usage: npm run backup -- FILE';

let file: string | undefined;
try {
  const { positionals } = parseArgs({ options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new Error('give exactly one FILE to write.');
  file = positionals[0];
} catch (error) {
  console.error(`Error: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

try {
  const env = backupEnv();
  console.log(`Backing up to ${file}…`);
  const manifest = await createBackup({
    databaseUrl: env.DATABASE_URL,
    file,
    mediaStorage: env.MEDIA_STORAGE,
    mediaDir: env.MEDIA_DIR,
    log: (line) => console.log(line),
  });
  const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  console.log(
    `Wrote ${file}: Broadsheet ${manifest.app.version}, schema ${manifest.schema.tag}, ${manifest.tables.length} tables, ${rows} rows, ${manifest.media.files} media file(s).`,
  );
} catch (error) {
  console.error(`Error: backup failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
