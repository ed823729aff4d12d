'use server';

import { runAction, type ActionResult } from '@/lib/actions';
import { announce } from '@/lib/cache/revalidate';
import { updateSiteSettings } from '@/lib/site/mutations';
import { siteSettingsSchema } from '@/lib/site/schemas';

/** Admins: save the site-wide settings; every page shows the title, so the whole site is refreshed. */
export async function updateSiteSettingsAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const result = await runAction(siteSettingsSchema, Object.fromEntries(form), async (input) => {
    const { changed } = await updateSiteSettings(input);
    if (changed.length) await announce({ all: true });
    return changed.length ? 'Saved.' : 'Nothing had changed.';
  });
  return result;
}
