'use client';

import { DEFAULT_RATE_LIMIT, MAX_KEY_NAME, MAX_RATE_LIMIT } from '@/lib/content-api/limits';
import { FormMessage } from './form-message';
import { useFormAction, type FormAction } from './use-form-action';

/** Makes a Content API key and shows its token once: it is stored only as a hash. */
export function ContentApiKeyForm({ create }: { create: FormAction<{ name: string; token: string }> }) {
  const { state, formAction, onSubmit, pending } = useFormAction(create);
  return (
    <form action={formAction} onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor="content-api-key-name">Name</label>
        <input id="content-api-key-name" name="name" type="text" required maxLength={MAX_KEY_NAME} placeholder="What uses it: the mobile app, a partner site…" />
      </div>
      <div className="field">
        <label htmlFor="content-api-key-rate">Requests per minute</label>
        <input id="content-api-key-rate" name="rateLimit" type="number" min={1} max={MAX_RATE_LIMIT} step={1} defaultValue={DEFAULT_RATE_LIMIT} />
      </div>
      <button type="submit" disabled={pending}>
        {pending ? 'Making…' : 'Make key'}
      </button>
      <FormMessage state={state} success={state?.ok ? `Made ${state.data.name}. Copy its key now: it is not shown again.` : null} />
      {state?.ok ? (
        <p>
          <label htmlFor="content-api-new-key">New key</label>{' '}
          <input id="content-api-new-key" className="mono" readOnly value={state.data.token} size={52} onFocus={(event) => event.currentTarget.select()} />
        </p>
      ) : null}
    </form>
  );
}
