/** Backup and restore of a whole Broadsheet (`npm run backup` / `npm run restore`); see ./archive.ts. */
import { z } from 'zod';

export { BackupError, type Manifest } from './archive';
export { createBackup, type BackupOptions } from './backup';
export { restoreBackup, type RestoreOptions } from './restore';

/**
 * The settings the two commands read. Not lib/env.ts: that one also requires the web server's
 * settings (SITE_URL, AUTH_SECRET), which an operator restoring onto a new machine may not have yet.
 */
export const backupEnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  MEDIA_STORAGE: z.enum(['postgres', 'local', 's3']).default('postgres'),
  MEDIA_DIR: z.string().min(1).default('.data/media'),
});

export function backupEnv(source: NodeJS.ProcessEnv = process.env) {
  const parsed = backupEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment: ${issue.path.join('.')} ${issue.message}`);
  }
  return parsed.data;
}
