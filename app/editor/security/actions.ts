'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { runAction, type ActionResult } from '@/lib/actions';
import { clearThrottle } from '@/lib/auth/throttle-admin';

const throttleKeySchema = z.object({ key: z.string().min(1).max(400) });

/** Admins: clear one sign-in throttle (its count and any wait). */
export async function clearThrottleAction(_previous: unknown, form: FormData): Promise<ActionResult<string>> {
  return runAction(throttleKeySchema, Object.fromEntries(form), async ({ key }) => {
    await clearThrottle(key);
    revalidatePath('/editor/security');
    return 'Cleared.';
  });
}
