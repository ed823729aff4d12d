'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { TWO_FACTOR_INVALID, TWO_FACTOR_REQUIRED } from '@/lib/auth/two-factor-answers';

type Provider = { id: string; name: string };

/**
 * Posts the credentials to next-auth itself (so the rate-limit answer, 429 with Retry-After,
 * reaches us intact) and follows the callback on success. An account with two-factor sign-in answers
 * a right password with `two-factor-required`: the form then asks for a code and sends the password
 * again with it.
 */
export function LoginForm({ callbackUrl, providers }: { callbackUrl: string; providers: Provider[] }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [needsCode, setNeedsCode] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    try {
      const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
      const response = await fetch('/api/auth/callback/credentials', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Auth-Return-Redirect': '1' },
        body: new URLSearchParams({
          email: String(form.get('email') ?? ''),
          password: String(form.get('password') ?? ''),
          code: String(form.get('code') ?? ''),
          csrfToken,
          callbackUrl,
          json: 'true',
        }),
      });
      if (response.status === 429) {
        const wait = Number(response.headers.get('Retry-After') ?? '60');
        setError(`Too many failed attempts. Try again in ${wait} second${wait === 1 ? '' : 's'}.`);
        return;
      }
      const body = (await response.json().catch(() => ({}))) as { url?: string };
      const refusal = body.url ? new URL(body.url, location.href).searchParams.get('error') : 'unknown';
      if (refusal === TWO_FACTOR_REQUIRED) {
        setNeedsCode(true);
        return;
      }
      if (refusal === TWO_FACTOR_INVALID) {
        setError('That code is not right, or it was used already. Enter the newest code from your app, or a recovery code.');
        return;
      }
      if (!response.ok || refusal !== null) {
        setError('Email or password is incorrect.');
        return;
      }
      location.assign(callbackUrl);
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <form onSubmit={onSubmit} className="auth-form" noValidate>
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required maxLength={254} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={200} />
        {needsCode ? (
          <>
            <label htmlFor="code">Authentication code</label>
            <input
              id="code"
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={64}
              autoFocus
              aria-describedby="code-hint"
            />
            <p id="code-hint" className="hint">
              This account has two-factor sign-in: enter the six-digit code from your authenticator app, or one of your recovery codes.
            </p>
          </>
        ) : null}
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : needsCode ? 'Verify and sign in' : 'Sign in'}
        </button>
      </form>
      {providers.map((provider) => (
        <button key={provider.id} type="button" className="secondary" onClick={() => signIn(provider.id, { callbackUrl })}>
          Sign in with {provider.name}
        </button>
      ))}
    </>
  );
}
