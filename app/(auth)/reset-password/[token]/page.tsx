import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { PasswordFields } from '@/components/admin/password-fields';
import { getPasswordReset } from '@/lib/auth/password-reset';
import { resetPasswordAction } from './actions';
import '@/components/admin/admin.css';

type Props = { params: Promise<{ token: string }> };

// The token is in the URL: kept out of other sites' Referer headers and out of search engines (as invitations).
export const metadata: Metadata = { title: 'Choose a new password', robots: { index: false, follow: false }, referrer: 'same-origin' };

/** Set a new password with a one-time link from a reset mail (valid an hour, once). */
export default async function ResetPasswordPage({ params }: Props) {
  const { token } = await params;
  const reset = await getPasswordReset(token);
  if (!reset) {
    return (
      <>
        <h1>This reset link cannot be used</h1>
        <p>The link is not valid: it may have expired (links work for one hour) or been used already. Nothing was changed.</p>
        <p>
          <Link href="/forgot-password">Ask for a new link</Link>, or <Link href="/login">sign in</Link>.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Choose a new password</h1>
      <p>
        For <strong>{reset.email}</strong>. Every device signed in to this account will be signed out.
      </p>
      <ActionForm action={resetPasswordAction} submitLabel="Set new password" className="auth-form">
        <input type="hidden" name="token" value={token} />
        <input type="text" name="username" autoComplete="username" value={reset.email} readOnly hidden />
        <PasswordFields idPrefix="reset" />
      </ActionForm>
    </>
  );
}
