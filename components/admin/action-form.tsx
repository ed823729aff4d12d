'use client';

import { FormMessage } from './form-message';
import { useFormAction, type FormAction } from './use-form-action';

type Props = {
  /** A server action whose data, on success, is the message to show ("Saved."). */
  action: FormAction<string>;
  children?: React.ReactNode;
  submitLabel: string;
  pendingLabel?: string;
  /** Asked before submitting, for what cannot be undone. */
  confirm?: string;
  id?: string;
  className?: string;
  buttonClassName?: string;
};

/** A small form around one server action, with its outcome shown beside the button. */
export function ActionForm({ action, children, submitLabel, pendingLabel, confirm, id, className, buttonClassName }: Props) {
  const { state, formAction, onSubmit, pending } = useFormAction(action, confirm);
  return (
    <form id={id} action={formAction} onSubmit={onSubmit} className={className}>
      {children}
      <button type="submit" className={buttonClassName} disabled={pending}>
        {pending ? (pendingLabel ?? 'Saving…') : submitLabel}
      </button>
      <FormMessage state={state} success={state?.ok ? state.data : null} />
    </form>
  );
}
