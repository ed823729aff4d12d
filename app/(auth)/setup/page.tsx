import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/admin/action-form';
import { PasswordFields } from '@/components/admin/password-fields';
import { needsSetup } from '@/lib/auth/accounts';
import { setupAction } from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Set up', robots: { index: false } };

/** First run only: while nobody can sign in, anyone who reaches the site creates the first admin. */
export default async function SetupPage() {
  if (!(await needsSetup())) notFound();
  return (
    <>
      <h1>Create the first admin</h1>
      <p>Nobody can sign in yet. The account you create here can invite everyone else.</p>
      <ActionForm action={setupAction} submitLabel="Create admin account" pendingLabel="Creating…" className="auth-form">
        <label htmlFor="setup-name">Your name</label>
        <input id="setup-name" name="name" type="text" required maxLength={100} autoComplete="name" />
        <label htmlFor="setup-email">Email</label>
        <input id="setup-email" name="email" type="email" required maxLength={254} autoComplete="username" />
        <PasswordFields idPrefix="setup" />
      </ActionForm>
    </>
  );
}
