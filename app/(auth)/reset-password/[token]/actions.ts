'use server';

import { redirect } from 'next/navigation';
import { runAction, type ActionResult } from '@/lib/actions';
import { resetPassword } from '@/lib/auth/password-reset';
import { resetPasswordFormSchema } from '@/lib/auth/schemas';

/** Set a new password with a one-time reset link (every session of the account ends), then sign in. */
export async function resetPasswordAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const result = await runAction(resetPasswordFormSchema, Object.fromEntries(form), async ({ token, password }) => {
    await resetPassword({ token, password });
    return '';
  });
  if (!result.ok) return result;
  redirect('/login?reset=1');
}
