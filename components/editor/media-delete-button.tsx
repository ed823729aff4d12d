'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/actions';
import { ActionError, failureFromThrow, type Failure } from './action-error';

/** Delete one image after a confirmation; a refusal (still in use, not yours) is shown beside it. */
export type MediaDeleteAction = (input: unknown) => Promise<ActionResult<true>>;

export function MediaDeleteButton({ id, filename, deleteMediaAction }: { id: string; filename: string; deleteMediaAction: MediaDeleteAction }) {
  const router = useRouter();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, startTransition] = useTransition();
  const remove = () => {
    if (!window.confirm(`Delete “${filename}” for ever? Pages that show it will lose the image.`)) return;
    setFailure(null);
    startTransition(async () => {
      try {
        const result = await deleteMediaAction({ id });
        if (result.ok) router.refresh();
        else setFailure(result);
      } catch {
        setFailure(await failureFromThrow());
      }
    });
  };
  return (
    <div>
      <button type="button" className="button-danger" onClick={remove} disabled={pending} aria-label={`Delete ${filename}`}>
        {pending ? 'Deleting…' : 'Delete'}
      </button>
      <ActionError failure={failure} callbackUrl="/editor/media" />
    </div>
  );
}
