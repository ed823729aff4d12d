import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { PasswordFields } from '@/components/admin/password-fields';
import { getInvite } from '@/lib/users/mutations';
import { acceptInviteAction } from './actions';
import '@/components/admin/admin.css';

type Props = { params: Promise<{ token: string }> };

// The token is in the URL: keep it out of other sites' Referer headers and out of search engines
// (not no-referrer: that sends "Origin: null", which Next.js refuses for a form posted without JavaScript).
export const metadata: Metadata = { title: 'Accept invitation', robots: { index: false, follow: false }, referrer: 'same-origin' };

/** An invited person sets their password, once, within 48 hours of the invitation. */
export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const invite = await getInvite(token);
  if (!invite) {
    return (
      <>
        <h1>This invitation cannot be used</h1>
        <p>The link is not valid: it may have expired (links work for 48 hours) or been used already.</p>
        <p>
          Ask whoever invited you for a new link, or <Link href="/login">sign in</Link> if you already set a password.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Welcome, {invite.name}</h1>
      <p>
        Choose a password for <strong>{invite.email}</strong>. You will sign in with it.
      </p>
      <ActionForm action={acceptInviteAction} submitLabel="Set password" className="auth-form">
        <input type="hidden" name="token" value={token} />
        <input type="text" name="username" autoComplete="username" value={invite.email} readOnly hidden />
        <PasswordFields idPrefix="invite" />
      </ActionForm>
    </>
  );
}
