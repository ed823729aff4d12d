'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { runAction, type ActionResult } from '@/lib/actions';
import { changeOwnPassword } from '@/lib/auth/password-change';
import { changePasswordFormSchema, endSessionsSchema, sessionIdSchema } from '@/lib/auth/schemas';
import { endSession, endSessions } from '@/lib/auth/sessions';

type Result = Promise<ActionResult<string>>;

/** Sign one of your own devices out (this one: then you are signed out here too). */
export async function endSessionAction(_previous: unknown, form: FormData): Result {
  const result = await runAction(sessionIdSchema, Object.fromEntries(form), async (input) => ((await endSession(input)).current ? 'current' : 'Signed out.'));
  if (result.ok && result.data === 'current') redirect('/login');
  if (result.ok) revalidatePath('/editor/account');
  return result;
}

/** "Sign out everywhere else" (this device stays signed in) or "everywhere" (this one too). */
export async function endSessionsAction(_previous: unknown, form: FormData): Result {
  const result = await runAction(endSessionsSchema, Object.fromEntries(form), async (input) => {
    const { ended } = await endSessions(input);
    return ended === 'all' ? 'all' : `Signed out ${ended} other session${ended === 1 ? '' : 's'}.`;
  });
  if (result.ok && result.data === 'all') redirect('/login');
  if (result.ok) revalidatePath('/editor/account');
  return result;
}

/** Change your password with the current one; your other sessions end, this one goes on. */
export async function changePasswordAction(_previous: unknown, form: FormData): Result {
  const result = await runAction(changePasswordFormSchema, Object.fromEntries(form), async ({ current, password }) => {
    const { endedOthers } = await changeOwnPassword({ current, password });
    return `Password changed.${endedOthers ? ` Signed out ${endedOthers} other session${endedOthers === 1 ? '' : 's'}.` : ''}`;
  });
  if (result.ok) revalidatePath('/editor/account');
  return result;
}
