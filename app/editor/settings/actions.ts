'use server';

import { revalidatePath } from 'next/cache';
import { runAction, type ActionResult } from '@/lib/actions';
import { setRequireTwoFactor } from '@/lib/auth/two-factor-admin';
import { requireTwoFactorSchema } from '@/lib/auth/two-factor-schemas';
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

/** Admins: require two-factor sign-in of admins and editors (only with one's own on), or stop. */
export async function setRequireTwoFactorAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const input = { required: form.get('requireTwoFactor') === 'on' };
  const result = await runAction(requireTwoFactorSchema, input, async (i) => {
    const { changed } = await setRequireTwoFactor(i);
    if (!changed) return 'Nothing had changed.';
    return i.required ? 'Two-factor sign-in is now required for admins and editors.' : 'Two-factor sign-in is no longer required.';
  });
  if (result.ok) revalidatePath('/editor', 'layout');
  return result;
}
