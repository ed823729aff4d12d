import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { siteSettings } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { env } from '@/lib/env';
import { requireCapability } from '@/lib/users/admin-queries';
import { parseInput } from '@/lib/users/schemas';
import { siteSettingsSchema, type SiteSettingsInput } from './schemas';
import { settingsColumns } from './settings';

const keys = ['title', 'description', 'defaultCta', 'timeZone', 'postsPerPage'] as const;

/** Saves the site-wide settings (row id = 1) and records which of them changed. */
export async function updateSiteSettings(input: SiteSettingsInput): Promise<{ changed: string[] }> {
  const viewer = await requireCapability('manageSettings');
  const next = parseInput(siteSettingsSchema, input);
  return getDb().transaction(async (tx) => {
    const [row] = await tx.select(settingsColumns).from(siteSettings).where(eq(siteSettings.id, 1)).for('update');
    // Without a row the site shows the environment's defaults (lib/site/settings.ts): compare with those.
    const current = row ?? { title: env().SITE_TITLE, description: env().SITE_DESCRIPTION, defaultCta: '', timeZone: 'UTC', postsPerPage: 10 };
    const changed = keys.filter((key) => current[key] !== next[key]);
    if (row && changed.length === 0) return { changed };
    await tx
      .insert(siteSettings)
      .values({ id: 1, ...next })
      .onConflictDoUpdate({ target: siteSettings.id, set: { ...next, updatedAt: sql`now()` } });
    await recordAudit({ actorId: viewer.id, action: 'settings.update', targetType: 'settings', targetId: '1', detail: { changed } }, tx);
    return { changed };
  });
}
