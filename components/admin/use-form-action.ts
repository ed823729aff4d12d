'use client';

import { startTransition, useActionState } from 'react';
import type { ActionResult } from '@/lib/actions';

export type FormAction<T> = (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T> | null>;

/**
 * useActionState for a form, submitted through a transition: React's own form action would reset
 * every field afterwards, so a refused submission would lose what was typed. Without JavaScript the
 * form still posts to the same action.
 */
export function useFormAction<T>(action: FormAction<T>, confirmMessage?: string) {
  const [state, formAction, pending] = useActionState(action, null);
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (confirmMessage && !window.confirm(confirmMessage)) return;
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  }
  return { state, formAction, onSubmit, pending };
}
