'use client';

import { useActionState } from 'react';
import { createPostAction } from '@/app/editor/posts/new/actions';
import type { PostKind } from '@/db/schema';
import { ActionError } from './action-error';

/** One click creates an empty draft (a post or a page) and opens it (a POST form, so it also works before hydration). */
export function NewPostButton({ label = 'New post', className = 'button', kind = 'post' }: { label?: string; className?: string; kind?: PostKind }) {
  const [failure, formAction, pending] = useActionState(createPostAction, null);
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
