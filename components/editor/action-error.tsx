import type { ActionResult } from '@/lib/actions';

export type Failure = Extract<ActionResult<unknown>, { ok: false }>;

/** What a refused or failed action says, read out at once; a signed-out writer gets a way back in. */
export function ActionError({
  failure,
  id,
  callbackUrl = '/editor',
}: {
  failure: Failure | null | undefined;
  id?: string;
  callbackUrl?: string;
}) {
  if (!failure) return null;
  return (
    <p className="action-error" role="alert" id={id}>
      {failure.error}
      {failure.signedOut ? (
        <>
          {' '}
          <a href={`/login?${new URLSearchParams({ callbackUrl })}`}>Sign in again</a> (your changes are kept in this browser).
        </>
      ) : null}
    </p>
  );
}

/** Thrown fetches (network down, server unreachable) as a failure the UI can show. */
export const offlineFailure: Failure = {
  ok: false,
  error: 'Could not reach the server. Your changes are kept in this browser; try again when you are back online.',
};
