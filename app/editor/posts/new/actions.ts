'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { postKinds } from '@/db/schema';
import { runAction, type ActionResult } from '@/lib/actions';
import type { EditorPost } from '@/lib/posts/editor-queries';
import { createPost } from '@/lib/posts/mutations';

type Refusal = Extract<ActionResult<unknown>, { ok: false }>;

const createSchema = z.object({ kind: z.enum(postKinds, 'Unknown kind.').default('post') });

/** Start an empty draft (a post, or with `kind=page` a page) and open it; the layer checks who may write which. */
export async function createPostAction(_previous: Refusal | null, form?: FormData): Promise<Refusal | null> {
  const kind = form instanceof FormData ? (form.get('kind') ?? undefined) : undefined;
  const result = await runAction(createSchema, { kind }, async (input) => (await createPost(input.kind)).id);
  if (!result.ok) return result;
  revalidatePath('/editor');
  revalidatePath('/editor/pages');
  // Outside runAction: redirect() works by throwing, which runAction would turn into a message.
  redirect(`/editor/posts/${result.data}`);
}

/**
 * The editor at /editor/posts/new calls this on the writer's first keystroke: the draft it types
 * into. Nothing is revalidated: a refresh would re-render the page under the writer's hands.
 */
export async function createDraftAction(input: unknown): Promise<ActionResult<EditorPost>> {
  return runAction(createSchema, input, (i) => createPost(i.kind));
}
