'use server';

import { runAction, type ActionResult } from '@/lib/actions';
import { announce } from '@/lib/cache/revalidate';
import { saveNavigation } from '@/lib/navigation/mutations';
import { navigationFormSchema } from '@/lib/navigation/schemas';

/** Editors and admins: save one menu as the form shows it (edited, moved, added to or removed from). */
export async function saveNavigationAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const raw = { menu: form.get('menu'), label: form.getAll('label'), url: form.getAll('url'), op: form.get('op') ?? undefined };
  return runAction(navigationFormSchema, raw, async ({ menu, items }) => {
    const { changed } = await saveNavigation(menu, items);
    // Every reader page shows both menus: the whole site is refreshed, as for the site's title.
    if (changed) await announce({ all: true });
    return changed ? 'Saved.' : 'Nothing had changed.';
  });
}
