'use server';

import { revalidatePath } from 'next/cache';
import { runAction, type ActionResult } from '@/lib/actions';
import { addMember, deleteMember, importMembersCsv } from '@/lib/members/mutations';
import { addMemberSchema, CSV_TOO_LARGE, MAX_CSV_BYTES, memberCsvSchema, memberIdSchema } from '@/lib/members/schemas';

// Only the editor's list shows members: no reader page changes.
const EDITOR_PATH = '/editor/members';

/** Editors and admins: add one member (subscribed when they agreed, else a confirmation mail). */
export async function addMemberAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(addMemberSchema, Object.fromEntries(form), async (input) => {
    const { status } = await addMember(input);
    revalidatePath(EDITOR_PATH);
    return status === 'subscribed' ? 'Added as subscribed.' : 'Added as pending: a confirmation mail is on its way.';
  });
}

/** Editors and admins: erase a member. */
export async function deleteMemberAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(memberIdSchema, Object.fromEntries(form), async (input) => {
    await deleteMember(input);
    revalidatePath(EDITOR_PATH);
    return 'Deleted.';
  });
}

/** Editors and admins: import a CSV file of members, all or nothing. */
export async function importMembersAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const file = form.get('file');
  if (file instanceof File && file.size > MAX_CSV_BYTES) return { ok: false, status: 422, error: CSV_TOO_LARGE, field: 'file' };
  const csv = file instanceof File ? await file.text() : file;
  return runAction(memberCsvSchema, { csv }, async (input) => {
    const { lines, subscribed, pending, other, skipped } = await importMembersCsv(input);
    revalidatePath(EDITOR_PATH);
    return `Imported ${lines} line${lines === 1 ? '' : 's'}: ${subscribed} subscribed, ${pending} pending (confirmation mail sent), ${other} unsubscribed or bounced, ${skipped} already members (left as they were).`;
  });
}
