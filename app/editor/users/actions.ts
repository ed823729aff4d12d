'use server';

import { revalidatePath } from 'next/cache';
import type { InviteResult } from '@/components/admin/invite-form';
import { runAction, type ActionResult } from '@/lib/actions';
import { env } from '@/lib/env';
import { changeRole, INVITE_HOURS, inviteUser, setUserDisabled } from '@/lib/users/mutations';
import { issuePasswordReset } from '@/lib/auth/password-reset';
import { userIdInputSchema } from '@/lib/auth/schemas';
import { endUserSessions } from '@/lib/auth/sessions';
import { resetUserTwoFactor } from '@/lib/auth/two-factor-admin';
import { changeRoleSchema, inviteSchema, setDisabledSchema } from '@/lib/users/schemas';

type Result<T> = Promise<ActionResult<T>>;

/** Invite someone; the one-time link goes back to the inviter only, to pass on themselves. */
export async function inviteUserAction(_previous: unknown, form: FormData): Result<InviteResult> {
  const result = await runAction(inviteSchema, Object.fromEntries(form), async (input) => {
    const { token } = await inviteUser(input);
    return { name: input.name, email: input.email, link: `${env().SITE_URL}/invite/${token}`, hours: INVITE_HOURS };
  });
  if (result.ok) revalidatePath('/editor/users');
  return result;
}

/** Admins: give someone another role (never leaving the site without an admin). */
export async function changeRoleAction(_previous: unknown, form: FormData): Result<string> {
  const result = await runAction(changeRoleSchema, Object.fromEntries(form), async (input) =>
    (await changeRole(input)).changed ? `Now ${input.role}.` : 'No change.',
  );
  if (result.ok) revalidatePath('/editor', 'layout');
  return result;
}

/** Admins: disable (signed out at once) or enable an account. */
export async function setUserDisabledAction(_previous: unknown, form: FormData): Result<string> {
  const input = { userId: form.get('userId'), disabled: form.get('disabled') === 'true' };
  const result = await runAction(setDisabledSchema, input, async (i) => {
    await setUserDisabled(i);
    return i.disabled ? 'Disabled.' : 'Enabled.';
  });
  if (result.ok) revalidatePath('/editor/users');
  return result;
}

/** Admins: end every session of someone at once (they sign in again). */
export async function endUserSessionsAction(_previous: unknown, form: FormData): Result<string> {
  const result = await runAction(userIdInputSchema, Object.fromEntries(form), async (input) => {
    await endUserSessions(input);
    return 'Signed out everywhere.';
  });
  if (result.ok) revalidatePath('/editor/users');
  return result;
}

/** Admins: a one-time password-reset link for someone, shown here once for the admin to pass on. */
export async function issuePasswordResetAction(_previous: unknown, form: FormData): Result<string> {
  return runAction(userIdInputSchema, Object.fromEntries(form), async (input) => {
    const { token, email } = await issuePasswordReset(input);
    return `Reset link for ${email} (works once, for an hour; not shown again): ${env().SITE_URL}/reset-password/${token}`;
  });
}

/**
 * Admins: remove someone's two-factor sign-in (a lost phone); every session of theirs ends. The list
 * is not re-rendered here: the button would go, and with it the message saying what happened.
 */
export async function resetUserTwoFactorAction(_previous: unknown, form: FormData): Result<string> {
  return runAction(userIdInputSchema, Object.fromEntries(form), async (input) => {
    const { name } = await resetUserTwoFactor(input);
    return `Two-factor sign-in removed for ${name}, and they are signed out everywhere. They can set it up again from their account page.`;
  });
}
