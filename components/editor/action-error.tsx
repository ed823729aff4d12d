import type { ActionResult } from '@/lib/actions';

export type Failure = Extract<ActionResult<unknown>, { ok: false }>;

/** What a refused or failed action says, read out at once; a signed-out writer gets a way back in. */
export function ActionError({ failure, id, callbackUrl = '/editor' }: { failure: Failure | null | undefined; id?: string; callbackUrl?: string }) {
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

export const signedOutFailure: Failure = { ok: false, error: 'You have been signed out.', signedOut: true };

/**
 * Why a server action threw instead of answering. With an expired session, proxy.ts redirects the
 * action's POST to /login, so the action's own `signedOut` answer never arrives; next-auth's session
 * endpoint tells that apart from a network failure.
 */
export async function failureFromThrow(): Promise<Failure> {
  try {
    const response = await fetch('/api/auth/session', { cache: 'no-store', credentials: 'same-origin' });
    const session: unknown = await response.json();
    const signedIn = typeof session === 'object' && session !== null && 'user' in session;
    if (response.ok && !signedIn) return signedOutFailure;
  } catch {
    // Unreachable too: treat as offline.
  }
  return offlineFailure;
}
