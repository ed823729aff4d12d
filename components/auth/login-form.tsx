'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';

type Provider = { id: string; name: string };

/**
 * Posts the credentials to next-auth itself (so the rate-limit answer, 429 with Retry-After,
 * reaches us intact) and follows the callback on success.
 */
export function LoginForm({ callbackUrl, providers }: { callbackUrl: string; providers: Provider[] }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

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
      if (!response.ok || !body.url || new URL(body.url, location.href).searchParams.has('error')) {
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
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
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
