'use client';

import { useActionState } from 'react';
import { createPostAction } from '@/app/editor/posts/new/actions';
import { ActionError } from './action-error';

/** One click creates an empty draft and opens it (a POST form, so it also works before hydration). */
export function NewPostButton({ label = 'New post', className = 'button' }: { label?: string; className?: string }) {
  const [failure, formAction, pending] = useActionState(createPostAction, null);
  return (
    <form action={formAction} className="new-post-form">
      <button type="submit" className={className} disabled={pending}>
        {pending ? 'Creating…' : label}
      </button>
      <ActionError failure={failure} />
    </form>
  );
}
