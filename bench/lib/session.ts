/**
 * Signed-in users for the editor's pages and actions: created in the bench database with the app's
 * own password hashing, then signed in through next-auth's credentials endpoint like a browser.
 */
import type pg from 'pg';
import type { Role } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';

export type Account = { id: string; email: string; name: string; slug: string; role: Role; password: string };

export async function createAccount(client: pg.ClientBase, account: Omit<Account, 'id'>): Promise<Account> {
  const { rows } = await client.query<{ id: string }>('insert into users (email, name, slug, role, password_hash) values ($1, $2, $3, $4, $5) returning id', [
    account.email,
    account.name,
    account.slug,
    account.role,
    await hashPassword(account.password),
  ]);
  return { ...account, id: rows[0].id };
}

/** A minimal cookie jar: name → value, from Set-Cookie headers. */
class Cookies {
  private readonly values = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.values.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  has(name: string): boolean {
    return this.values.has(name);
  }
}

/**
 * Signs in with email and password (GET /api/auth/csrf, then POST the credentials form) and
 * returns the Cookie header of the session. Fails unless /editor then answers 200 rather than
 * sending us to /login.
 */
export async function signIn(baseUrl: string, account: Pick<Account, 'email' | 'password'>): Promise<string> {
  const jar = new Cookies();
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  jar.take(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email: account.email, password: account.password, callbackUrl: `${baseUrl}/editor`, json: 'true' });
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: form,
    redirect: 'manual',
  });
  await response.arrayBuffer();
  jar.take(response);
  if (!jar.has('next-auth.session-token') && !jar.has('__Secure-next-auth.session-token')) {
    throw new Error(`signing in as ${account.email} failed: HTTP ${response.status}, no session cookie`);
  }
  const cookie = jar.header();
  const editor = await fetch(`${baseUrl}/editor`, { headers: { cookie }, redirect: 'manual' });
  await editor.arrayBuffer();
  if (editor.status !== 200) {
    throw new Error(`signed in as ${account.email}, but /editor answered ${editor.status} ${editor.headers.get('location') ?? ''}`);
  }
  return cookie;
}
