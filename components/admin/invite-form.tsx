'use client';

import { useEffect, useRef } from 'react';
import type { Role } from '@/db/schema';
import { FormMessage } from './form-message';
import { useFormAction, type FormAction } from './use-form-action';

export type InviteResult = { name: string; email: string; link: string; hours: number };

type Props = { action: FormAction<InviteResult>; roles: readonly Role[] };

/** Invite someone; the one-time link is shown here once, for the inviter to pass on (there is no mail). */
export function InviteForm({ action, roles }: Props) {
  const { state, formAction, onSubmit, pending } = useFormAction(action);
  const form = useRef<HTMLFormElement>(null);
  const invited = state?.ok ? state.data : null;
  useEffect(() => {
    if (invited) form.current?.reset();
  }, [invited]);
  return (
    <>
      <form ref={form} action={formAction} onSubmit={onSubmit} className="invite-form">
        <div className="field">
          <label htmlFor="invite-name">Name</label>
          <input id="invite-name" name="name" type="text" required maxLength={100} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="invite-email">Email</label>
          <input id="invite-email" name="email" type="email" required maxLength={254} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" name="role" defaultValue={roles.includes('author') ? 'author' : roles[0]}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={pending}>
          {pending ? 'Inviting…' : 'Invite'}
        </button>
        <FormMessage state={state} success={invited ? `${invited.name} is invited.` : null} />
      </form>
      {invited ? (
        <div className="panel invite-link">
          <label htmlFor="invite-link">One-time link for {invited.email}</label>
          <div className="copy-row">
            <input id="invite-link" type="text" readOnly value={invited.link} onFocus={(event) => event.currentTarget.select()} />
            <button type="button" className="button-secondary" onClick={() => void navigator.clipboard?.writeText(invited.link)}>
              Copy
            </button>
          </div>
          <p className="hint">
            Send this link to {invited.name} yourself. It works once, for {invited.hours} hours, and is not shown again.
          </p>
        </div>
      ) : null}
    </>
  );
}
