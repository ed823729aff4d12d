'use server';

import { redirect } from 'next/navigation';
import { runAction, type ActionResult } from '@/lib/actions';
import { createFirstAdmin } from '@/lib/users/mutations';
import { setupFormSchema } from '@/lib/users/schemas';

/** First run: create the first admin (refused once anyone can sign in), then go and sign in. */
export async function setupAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  const result = await runAction(setupFormSchema, Object.fromEntries(form), async ({ name, email, password }) => {
    await createFirstAdmin({ name, email, password });
    return '';
  });
  if (!result.ok) return result;
  // Outside runAction: redirect() works by throwing.
  redirect('/login?setup=1');
}
