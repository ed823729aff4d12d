import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { needsSetup } from '@/lib/auth/accounts';
import { env } from '@/lib/env';
import { getViewer } from '@/lib/auth/viewer';

export const metadata: Metadata = { title: 'Sign in', robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Only same-site paths may be a callback: no open redirect through the sign-in page. */
function safeCallback(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/editor';
}

/** Sign in with email and password, or with a configured OAuth/OIDC provider. */
export default async function LoginPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getViewer()) redirect(callbackUrl);
  const e = env();
  const providers = [
    ...(e.GITHUB_ID && e.GITHUB_SECRET ? [{ id: 'github', name: 'GitHub' }] : []),
    ...(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET ? [{ id: 'oidc', name: e.OIDC_NAME }] : []),
  ];
  const setup = await needsSetup();
  return (
    <>
      <h1>Sign in</h1>
      {params.setup ? <p role="status">Your admin account is ready. Sign in to start writing.</p> : null}
      {params.reset ? <p role="status">Your new password is set, and every device was signed out. Sign in with it.</p> : null}
      {params.error && params.error !== 'CredentialsSignin' ? (
        <p role="alert" className="form-error">
          That sign-in did not work. Only people who already have an account here can sign in.
        </p>
      ) : null}
      <LoginForm callbackUrl={callbackUrl} providers={providers} />
      <p>
        <Link href="/forgot-password">Forgot password?</Link>
      </p>
      {setup ? (
        <p>
          No account exists yet: <Link href="/setup">create the first admin</Link>.
        </p>
      ) : null}
    </>
  );
}
