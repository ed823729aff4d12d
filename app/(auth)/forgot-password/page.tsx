import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { RESET_HOURS } from '@/lib/auth/password-reset';
import { requestPasswordResetAction } from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Forgot password', robots: { index: false } };

/** Ask for a one-time link to set a new password (a plain form: it works without JavaScript). */
export default function ForgotPasswordPage() {
  return (
    <>
      <h1>Forgot your password?</h1>
      <p>
        Enter the email address you sign in with. If it has an account here, we send it a link to choose a new password; the link works once, for{' '}
        {RESET_HOURS === 1 ? 'one hour' : `${RESET_HOURS} hours`}.
      </p>
      <ActionForm action={requestPasswordResetAction} submitLabel="Send me a link" pendingLabel="Sending…" className="auth-form">
        <label htmlFor="forgot-email">Email</label>
        <input id="forgot-email" name="email" type="email" required maxLength={254} autoComplete="username" />
      </ActionForm>
      <p>
        <Link href="/login">Back to sign in</Link>
      </p>
    </>
  );
}
