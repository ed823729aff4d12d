'use server';

import { redirect } from 'next/navigation';
import { runAction, type ActionResult } from '@/lib/actions';
import { acceptInvite } from '@/lib/users/mutations';
import { acceptInviteFormSchema } from '@/lib/users/schemas';

/** Set the invited person's password with the one-time link, then go and sign in. */
export async function acceptInviteAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const result = await runAction(acceptInviteFormSchema, Object.fromEntries(form), async ({ token, password }) => {
    await acceptInvite({ token, password });
    return '';
  });
  if (!result.ok) return result;
  redirect('/login');
}
