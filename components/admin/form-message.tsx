import Link from 'next/link';
import type { ActionResult } from '@/lib/actions';

/**
 * The outcome of a form, announced: success in a polite status region that is always present (so
 * screen readers notice it change), a refusal as an alert.
 */
export function FormMessage({ state, success }: { state: ActionResult<unknown> | null; success?: string | null }) {
  return (
    <>
      <p role="status" className="hint">
        {state?.ok ? success : null}
      </p>
      {state && !state.ok ? (
        <p role="alert" className="action-error form-error">
          {state.error}
          {state.signedOut ? (
            <>
              {' '}
              <Link href="/login">Sign in again</Link>
            </>
          ) : null}
        </p>
      ) : null}
    </>
  );
}
