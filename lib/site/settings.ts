import 'server-only';
import { cache } from 'react';
import { eq } from 'drizzle-orm';
import { getReadDb } from '@/db/client';
import { siteSettings } from '@/db/schema';
import { env } from '@/lib/env';

export type SiteSettings = {
  title: string;
  description: string;
  defaultCta: string;
  timeZone: string;
  postsPerPage: number;
  url: string;
  locale: string;
};

/** The columns an admin edits, read by the site and by the settings form alike. */
export const settingsColumns = {
  title: siteSettings.title,
  description: siteSettings.description,
  defaultCta: siteSettings.defaultCta,
  timeZone: siteSettings.timeZone,
  postsPerPage: siteSettings.postsPerPage,
};

/** Site-wide settings: the admin's row if there is one, else the environment's defaults. Once per request. */
export const getSiteSettings = cache(async (): Promise<SiteSettings> => {
  const { SITE_TITLE, SITE_DESCRIPTION, SITE_URL, SITE_LOCALE } = env();
  // Without a database (a build, an outage) the environment's defaults still name the site.
  const [row] = await getReadDb()
    .select(settingsColumns)
    .from(siteSettings)
    .where(eq(siteSettings.id, 1))
    .catch((error: Error) => {
      console.error(`[settings] using defaults: ${error.message.split('\n')[0]}`);
      return [];
    });
  return {
    title: row?.title ?? SITE_TITLE,
    description: row?.description ?? SITE_DESCRIPTION,
    defaultCta: row?.defaultCta ?? '',
    timeZone: row?.timeZone ?? 'UTC',
    postsPerPage: row?.postsPerPage ?? 10,
    url: SITE_URL,
    locale: SITE_LOCALE,
  };
});
