'use client';

import { useActionState, useState } from 'react';
import type { ActionResult } from '@/lib/actions';
import { ActionError, failureFromThrow, type Failure } from './action-error';

export type MediaAltAction = (input: unknown) => Promise<ActionResult<{ alt: string }>>;

type State = { saved: string; failure: Failure | null; done: boolean };

/** The default alt text of one image, saved on submit. */
export function MediaAltForm({ id, alt, filename, updateMediaAltAction }: { id: string; alt: string; filename: string; updateMediaAltAction: MediaAltAction }) {
  const [value, setValue] = useState(alt);
  const [state, submit, pending] = useActionState(
    async (previous: State, form: FormData): Promise<State> => {
      try {
        const result = await updateMediaAltAction({ id, alt: form.get('alt') });
        return result.ok ? { saved: result.data.alt, failure: null, done: true } : { ...previous, failure: result, done: false };
      } catch {
        return { ...previous, failure: await failureFromThrow(), done: false };
      }
    },
    { saved: alt, failure: null, done: false },
  );
  const inputId = `media-alt-${id}`;
  return (
    <form action={submit} className="media-alt-form">
      <label htmlFor={inputId}>
        Alt text <span className="visually-hidden">for {filename}</span>
      </label>
      <div className="media-alt-row">
        <input id={inputId} name="alt" type="text" value={value} onChange={(event) => setValue(event.target.value)} maxLength={2000} />
        <button type="submit" className="button-secondary" disabled={pending || value.trim() === state.saved}>
          {pending ? 'Saving…' : 'Save'}
        </button>
      </div>
      {state.done && value.trim() === state.saved ? (
        <p className="hint" role="status">
          Saved.
        </p>
      ) : null}
      <ActionError failure={state.failure} callbackUrl="/editor/media" />
    </form>
  );
}
