'use server';

import { revalidatePath } from 'next/cache';
import { runAction, type ActionResult } from '@/lib/actions';
import { updateSiteSettings } from '@/lib/site/mutations';
import { siteSettingsSchema } from '@/lib/site/schemas';

/** Admins: save the site-wide settings; every page shows the title, so the whole site is refreshed. */
export async function updateSiteSettingsAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const result = await runAction(siteSettingsSchema, Object.fromEntries(form), async (input) => {
    const { changed } = await updateSiteSettings(input);
    return changed.length ? 'Saved.' : 'Nothing had changed.';
  });
  if (result.ok) revalidatePath('/', 'layout');
  return result;
}
