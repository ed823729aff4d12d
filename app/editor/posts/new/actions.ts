'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { runAction, type ActionResult } from '@/lib/actions';
import { createPost } from '@/lib/posts/mutations';

type Refusal = Extract<ActionResult<unknown>, { ok: false }>;

/** Start an empty draft and open it; the layer checks who may write. */
export async function createPostAction(_previous: Refusal | null, _form?: FormData): Promise<Refusal | null> {
  const result = await runAction(z.object({}), {}, async () => (await createPost()).id);
  if (!result.ok) return result;
  revalidatePath('/editor');
  // Outside runAction: redirect() works by throwing, which runAction would turn into a message.
  redirect(`/editor/posts/${result.data}`);
}
