'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { runAction, type ActionResult } from '@/lib/actions';
import { changeOwnPassword } from '@/lib/auth/password-change';
import { changePasswordFormSchema, endSessionsSchema, sessionIdSchema } from '@/lib/auth/schemas';
import { endSession, endSessions } from '@/lib/auth/sessions';
import { confirmTwoFactor, disableTwoFactor, regenerateRecoveryCodes, startTwoFactor } from '@/lib/auth/two-factor';
import { confirmTwoFactorSchema, noInputSchema, passwordOrCodeSchema } from '@/lib/auth/two-factor-schemas';

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

// Two-factor sign-in (lib/auth/two-factor.ts). The recovery codes go back once, in the answer, and are never shown again.
type CodesResult = Promise<ActionResult<{ message: string; recoveryCodes: string[] }>>;

/** Start (or restart) setting up two-factor sign-in: the page then shows the QR code and the secret. */
export async function startTwoFactorAction(_previous: unknown, form: FormData): Result {
  const result = await runAction(noInputSchema, Object.fromEntries(form), async () => {
    await startTwoFactor();
    return 'Scan the QR code with your authenticator app, then enter the code it shows.';
  });
  if (result.ok) revalidatePath('/editor', 'layout');
  return result;
}

/** Confirm the set-up with a code from the app: two-factor sign-in is on; the recovery codes come back once. */
export async function confirmTwoFactorAction(_previous: unknown, form: FormData): CodesResult {
  const result = await runAction(confirmTwoFactorSchema, Object.fromEntries(form), async (input) => ({
    message: 'Two-factor sign-in is on.',
    recoveryCodes: (await confirmTwoFactor(input)).recoveryCodes,
  }));
  if (result.ok) revalidatePath('/editor', 'layout');
  return result;
}

/** Turn two-factor sign-in off, with the current password or a code. */
export async function disableTwoFactorAction(_previous: unknown, form: FormData): Result {
  const result = await runAction(passwordOrCodeSchema, Object.fromEntries(form), async (input) => {
    await disableTwoFactor(input);
    return 'Two-factor sign-in is off.';
  });
  if (result.ok) revalidatePath('/editor', 'layout');
  return result;
}

/** Ten new recovery codes (the old ones stop working), with the current password or a code. */
export async function regenerateRecoveryCodesAction(_previous: unknown, form: FormData): CodesResult {
  const result = await runAction(passwordOrCodeSchema, Object.fromEntries(form), async (input) => ({
    message: 'New recovery codes: the old ones no longer work.',
    recoveryCodes: (await regenerateRecoveryCodes(input)).recoveryCodes,
  }));
  if (result.ok) revalidatePath('/editor/account');
  return result;
}
