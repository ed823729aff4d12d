'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionResult } from '@/lib/actions';
import type { EditorPost } from '@/lib/posts/editor-queries';
import { ActionError, failureFromThrow, type Failure } from './action-error';

type Props = { postId: string; revisionId: string; baseVersion: number; restoreRevisionAction: (input: unknown) => Promise<ActionResult<EditorPost>> };

/** Brings an old revision back as a new version, then returns to the editor. */
export function RestoreRevisionButton({ postId, revisionId, baseVersion, restoreRevisionAction }: Props) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function restore() {
    setPending(true);
    setFailure(null);
    try {
      const result = await restoreRevisionAction({ id: postId, revisionId, baseVersion });
      if (result.ok) {
        router.push(`/editor/posts/${postId}`);
        return;
      }
      setFailure(
        result.conflict ? { ok: false, error: 'The post has changed since this page was loaded. Reload the page to compare with the latest version.' } : result,
      );
    } catch {
      const failure = await failureFromThrow();
      setFailure(failure.signedOut ? failure : { ok: false, error: 'Could not reach the server. Nothing was changed; please try again.' });
    }
    setPending(false);
  }

  return (
    <form
      className="restore-form"
      onSubmit={(event) => {
        event.preventDefault();
        void restore();
      }}
    >
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Restoring…' : 'Restore this revision'}
      </button>
      <ActionError failure={failure} callbackUrl={`/editor/posts/${postId}/revisions?rev=${revisionId}`} />
    </form>
  );
}
