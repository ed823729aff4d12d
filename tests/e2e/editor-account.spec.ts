/**
 * Sessions and password reset in a real browser (issue 17): one person signed in on two browsers
 * signs the others out from /editor/account, and the other browser is signed out on its next
 * navigation; "forgot password" (asked with JavaScript off) mails a one-time link (read from
 * OUTBOX_DIR: the e2e server has no SMTP_URL) that sets a new password once and signs every device out.
 * The people here are made for this spec alone, so no saved sign-in of another spec is touched.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { signedOut, signIn, unique, withDb } from './editor-helpers';

const run = unique('e2e-account-');
const outbox = path.resolve(process.env.OUTBOX_DIR ?? '.data/outbox');
const FORGOT_ANSWER = 'If that address has an account here, a link to choose a new password is on its way.';

// Every context here starts signed out (the editor project's default state is someone's sign-in).
test.use({ storageState: signedOut });

async function makePerson(label: string, password: string): Promise<{ email: string; password: string }> {
  const email = `${run}-${label}@e2e.test`;
  await withDb(async (db) => {
    await db.query(`insert into users (email, name, slug, role, password_hash) values ($1, $2, $3, 'author', $4)`, [
      email,
      `Account ${label} ${run}`,
      `${run}-${label}`,
      await hash(password, { algorithm: 2 }),
    ]);
  });
  return { email, password };
}

test.afterAll(async () => {
  await withDb(async (db) => {
    const mine = `select id from users where email like '${run}-%'`;
    await db.query(`delete from rate_limits where key in (select 'password-reset:' || id from users where email like $1)`, [`${run}-%`]);
    await db.query(`delete from audit_log where actor_id in (${mine}) or detail->>'email' like $1`, [`${run}-%`]);
    await db.query(`delete from login_throttle where key like $1`, [`%${run}-%`]);
    await db.query(`delete from users where email like $1`, [`${run}-%`]);
  });
});

async function signedInPage(browser: Browser, person: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ storageState: signedOut });
  const page = await context.newPage();
  await signIn(page, person);
  return page;
}

/** The next navigation to the editor lands on the sign-in page. */
async function expectSignedOut(page: Page) {
  await page.goto('/editor');
  await page.waitForURL(/\/login(\?|$)/);
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
}

test('two browsers: "sign out everywhere else" signs the other out on its next navigation, "everywhere" this one too', async ({ browser }) => {
  const person = await makePerson('devices', 'devices pass phrase 1');
  const laptop = await signedInPage(browser, person);
  const phone = await signedInPage(browser, person);

  await laptop.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Account' }).click();
  await laptop.waitForURL('**/editor/account');
  const devices = laptop.getByRole('region', { name: 'Signed-in devices' }).locator('tbody tr');
  await expect(devices).toHaveCount(2);
  await expect(devices.filter({ hasText: 'this device' })).toHaveCount(1);
  await expect(devices.first()).toContainText('Chrome');

  await laptop.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(laptop.getByRole('status').filter({ hasText: 'Signed out 1 other session.' })).toBeVisible();
  await laptop.reload();
  await expect(devices).toHaveCount(1);
  await expect(devices).toContainText('this device');

  await expectSignedOut(phone);

  // The phone signs in again; "sign out everywhere" from the laptop ends both.
  await signIn(phone, person);
  laptop.once('dialog', (dialog) => void dialog.accept());
  await laptop.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
  await laptop.waitForURL(/\/login(\?|$)/);
  await expectSignedOut(laptop);
  await expectSignedOut(phone);
  await laptop.context().close();
  await phone.context().close();
});

/** The reset link in the mail to `to`, once the worker has written it (polled, not slept). */
async function resetLink(to: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const files = (await readdir(outbox).catch(() => [] as string[])).filter((name) => name.endsWith('.eml'));
        for (const file of files) {
          const text = (await readFile(path.join(outbox, file), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          if (!new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}`, 'm').test(text)) continue;
          link = /https?:\/\/[^\s"<>]+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];
          if (link) return true;
        }
        return false;
      },
      { timeout: 15_000, message: `a reset mail to ${to} in ${outbox}` },
    )
    .toBe(true);
  return link!;
}

test('forgot password: the same answer for anyone; the mailed link sets a new password once and signs every device out', async ({ browser }) => {
  const person = await makePerson('forgot', 'forgotten pass phrase 1');
  const elsewhere = await signedInPage(browser, person);

  // Asked with JavaScript off: a plain form.
  const noScript = await browser.newContext({ storageState: signedOut, javaScriptEnabled: false });
  const page = await noScript.newPage();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.waitForURL('**/forgot-password');
  for (const email of [`${run}-nobody@e2e.test`, person.email]) {
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect(page.getByRole('status').filter({ hasText: FORGOT_ANSWER })).toBeVisible();
  }
  await noScript.close();

  const link = await resetLink(person.email);
  const context = await browser.newContext({ storageState: signedOut });
  const tab = await context.newPage();
  await tab.goto(link);
  await expect(tab.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await tab.getByLabel('Password', { exact: true }).fill('remembered pass phrase 2');
  await tab.getByLabel('Password again').fill('remembered pass phrase 2');
  await tab.getByRole('button', { name: 'Set new password' }).click();
  await tab.waitForURL('**/login?reset=1');
  await expect(tab.getByRole('status').filter({ hasText: 'Your new password is set' })).toBeVisible();

  // The browser that was signed in before is signed out; the new password works.
  await expectSignedOut(elsewhere);
  await signIn(tab, { email: person.email, password: 'remembered pass phrase 2' });

  // The link works once.
  await tab.goto(link);
  await expect(tab.getByRole('heading', { name: 'This reset link cannot be used' })).toBeVisible();
  // A forged one: the same page.
  await tab.goto('/reset-password/' + 'A'.repeat(43));
  await expect(tab.getByRole('heading', { name: 'This reset link cannot be used' })).toBeVisible();
  await context.close();
  await elsewhere.context().close();
});
