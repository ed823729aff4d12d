'use server';

import { headers } from 'next/headers';
import { runAction, type ActionResult } from '@/lib/actions';
import { clientIp } from '@/lib/auth/ip';
import { FORGOT_PASSWORD_ANSWER, requestPasswordReset } from '@/lib/auth/password-reset';
import { forgotPasswordSchema } from '@/lib/auth/schemas';

/** Ask for a reset link: the same answer whether or not the address has an account. */
export async function requestPasswordResetAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(forgotPasswordSchema, { email: form.get('email') }, async (input) => {
    await requestPasswordReset(input, { ip: clientIp(await headers()) });
    return FORGOT_PASSWORD_ANSWER;
  });
}
