'use client';

import { useActionState } from 'react';
import type { PostKind } from '@/db/schema';
import type { ActionResult } from '@/lib/actions';
import { ActionError } from './action-error';

type Refusal = Extract<ActionResult<unknown>, { ok: false }>;
/** createPostAction (app/editor/posts/new/actions.ts): opens the new draft, or says why not. */
export type CreatePostAction = (previous: Refusal | null, form: FormData) => Promise<Refusal | null>;

/** One click creates an empty draft (a post or a page) and opens it (a POST form, so it also works before hydration). */
export function NewPostButton({
  action,
  label = 'New post',
  className = 'button',
  kind = 'post',
}: {
  action: CreatePostAction;
  label?: string;
  className?: string;
  kind?: PostKind;
}) {
  const [failure, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="new-post-form">
      {kind !== 'post' ? <input type="hidden" name="kind" value={kind} /> : null}
      <button type="submit" className={className} disabled={pending}>
        {pending ? 'Creating…' : label}
      </button>
      <ActionError failure={failure} />
    </form>
  );
}
