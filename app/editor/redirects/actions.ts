'use server';

import { runAction, type ActionResult } from '@/lib/actions';
import { announce } from '@/lib/cache/revalidate';
import { deleteRedirect, importRedirectsCsv, saveRedirect } from '@/lib/redirects/mutations';
import { CSV_TOO_LARGE, MAX_CSV_BYTES, redirectCsvSchema, redirectInputSchema, redirectKeySchema } from '@/lib/redirects/schemas';

// The list beside the forms shows the change; readers' cached answers for those addresses are forgotten.
const EDITOR_PATH = '/editor/redirects';

/** Admins: add a redirect (or replace the one from that address). */
export async function saveRedirectAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(redirectInputSchema, Object.fromEntries(form), async (input) => {
    const { from, created, change } = await saveRedirect(input);
    await announce(change, [EDITOR_PATH]);
    return `${created ? 'Added' : 'Replaced'} the redirect from ${from}.`;
  });
}

/** Admins: delete a redirect; its address answers 404 again. */
export async function deleteRedirectAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(redirectKeySchema, Object.fromEntries(form), async (input) => {
    const { change } = await deleteRedirect(input);
    await announce(change, [EDITOR_PATH]);
    return 'Deleted.';
  });
}

/** Admins: import a CSV file (or its text) of redirects, all or nothing. */
export async function importRedirectsAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const file = form.get('file');
  if (file instanceof File && file.size > MAX_CSV_BYTES) return { ok: false, status: 422, error: CSV_TOO_LARGE, field: 'file' };
  const csv = file instanceof File ? await file.text() : file;
  return runAction(redirectCsvSchema, { csv }, async (input) => {
    const { lines, created, updated, change } = await importRedirectsCsv(input);
    await announce(change, [EDITOR_PATH]);
    return `Imported ${lines} line${lines === 1 ? '' : 's'}: ${created} new, ${updated} replaced.`;
  });
}
