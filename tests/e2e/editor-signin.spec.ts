/**
 * Signing in with a wrong password, and the lock after repeated failures (lib/auth/throttle-rules.ts:
 * five failures are free, then this account from this address waits 30 s, doubling). Uses an account
 * only this spec touches, with wrong passwords only.
 */
import { test, expect, type Page } from '@playwright/test';
import { accounts, withDb } from './editor-helpers';

const victim = accounts.throttled;

test.describe.configure({ mode: 'serial' });

test.afterAll(async () => {
  // The throttle also counts per IP (100 an hour), and every browser here comes from the same
  // address: the other specs' failures count from zero.
  await withDb((db) => db.query(`delete from login_throttle where key like 'ip:%'`));
});

async function attempt(page: Page, password: string): Promise<number> {
  await page.getByLabel('Email').fill(victim.email);
  await page.getByLabel('Password').fill(password);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/callback/credentials') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const status = (await answer).status();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  return status;
}

test('a wrong password is refused; the sixth failure in a row locks the account with a countdown', async ({ page, request }) => {
  await page.goto('/login');
  const alert = page.locator('form.auth-form').getByRole('alert');

  // Failures 1–5: the plain message, and the user stays on /login.
  for (let n = 1; n <= 5; n += 1) {
    expect(await attempt(page, `wrong password ${n}`), `attempt ${n} answered`).not.toBe(429);
    await expect(alert).toHaveText('Email or password is incorrect.');
    expect(new URL(page.url()).pathname).toBe('/login');
  }

  // Attempt 6: refused before any password check, with how long to wait.
  expect(await attempt(page, 'wrong password 6')).toBe(429);
  await expect(alert).toHaveText(/^Too many failed attempts\. Try again in \d+ seconds?\.$/);
  const shown = Number(/in (\d+) second/.exec((await alert.textContent()) ?? '')![1]);
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(30);

  // The right password does not get through the lock either (this account from this address is locked).
  expect(await attempt(page, victim.password)).toBe(429);
  await expect(alert).toHaveText(/^Too many failed attempts\./);
  expect(new URL(page.url()).pathname).toBe('/login');

  // Straight at next-auth's endpoint, as a script would: 429 with Retry-After, no session cookie.
  const response = await request.post('/api/auth/callback/credentials', {
    form: { email: victim.email, password: 'yet another guess', csrfToken: 'irrelevant', json: 'true' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(429);
  const retryAfter = Number(response.headers()['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(30);
  expect(response.headers()['set-cookie'] ?? '').not.toContain('session-token');
});
