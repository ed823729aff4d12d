/**
 * Two-factor sign-in in a real browser (issue 17): a person sets it up on /editor/account from the
 * secret the page shows (codes computed here with otplib, as an authenticator app would), signs out,
 * and then needs a code to sign in; a code already used is refused, a recovery code works once. Then
 * the site's requirement: an admin turns it on, an editor without two-factor can only reach their
 * account page, and the admin resets that editor's two-factor from /editor/users, which signs them out.
 * The people here are made for this spec alone; the requirement is switched off again afterwards.
 */
import { hash } from '@node-rs/argon2';
import { generateSync } from 'otplib/functional';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { signedOut, unique, withDb } from './editor-helpers';

const run = unique('e2e-2fa-');
const PERIOD = 30;

// Every context here starts signed out (the editor project's default state is someone's sign-in).
test.use({ storageState: signedOut });
test.describe.configure({ mode: 'serial' });

type Person = { email: string; password: string; name: string };

async function makePerson(label: string, role: 'author' | 'editor' | 'admin'): Promise<Person> {
  const person = { email: `${run}-${label}@e2e.test`, password: `${label} two-factor pass phrase`, name: `Twofa ${label} ${run}` };
  await withDb(async (db) => {
    await db.query(`insert into users (email, name, slug, role, password_hash) values ($1, $2, $3, $4::role, $5)`, [
      person.email,
      person.name,
      `${run}-${label}`,
      role,
      await hash(person.password, { algorithm: 2 }),
    ]);
  });
  return person;
}

test.afterAll(async () => {
  await withDb(async (db) => {
    await db.query(`update site_settings set require_two_factor = false`);
    const mine = `select id from users where email like '${run}-%'`;
    await db.query(`delete from rate_limits where key in (select 'two-factor-check:' || id from users where email like $1)`, [`${run}-%`]);
    await db.query(
      `delete from audit_log where actor_id in (${mine}) or target_id in (select id::text from users where email like $1) or detail->>'email' like $1`,
      [`${run}-%`],
    );
    await db.query(`delete from audit_log where action = 'settings.require-two-factor' and actor_id is null`);
    await db.query(`delete from login_throttle where key like $1`, [`%${run}-%`]);
    await db.query(`delete from users where email like $1`, [`${run}-%`]);
  });
});

/** The code an authenticator app shows `offset` steps from now. */
const codeAt = (secret: string, offset = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offset * PERIOD, period: PERIOD });

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: signedOut });
  return context.newPage();
}

/** Email and password through the login form; returns the form's alert locator. */
async function submitPassword(page: Page, person: Person) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The second step of the login form: the code field appears, the code goes with the password again. */
async function submitCode(page: Page, code: string) {
  const field = page.getByLabel('Authentication code');
  await expect(field).toBeVisible();
  await field.fill(code);
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
}

/** Sets up two-factor sign-in on /editor/account; returns the secret and the recovery codes shown once. */
async function enrol(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto('/editor/account');
  const panel = page.getByRole('region', { name: 'Two-factor sign-in' });
  await expect(panel).toContainText('Two-factor sign-in is off');
  await panel.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  const qr = panel.getByRole('img', { name: 'QR code for your authenticator app' });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  const secret = (await panel.getByTestId('two-factor-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  // A wrong code first: refused, nothing turned on.
  await panel.getByLabel('Code from the app').fill(codeAt(secret, 20));
  await panel.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await expect(panel.getByRole('alert')).toContainText('That code is not right');

  await panel.getByLabel('Code from the app').fill(codeAt(secret));
  await panel.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  const recoveryCodes = (await codes.allTextContents()).map((c) => c.trim());
  await expect(panel).toContainText('Two-factor sign-in is on');
  await expect(panel).toContainText('10 recovery codes left');
  return { secret, recoveryCodes };
}

test('set up with the QR secret; then signing in needs a code, a used code is refused, a recovery code works once', async ({ browser }) => {
  const person = await makePerson('author', 'author');
  const page = await newPage(browser);
  await submitPassword(page, person);
  await page.waitForURL('**/editor');
  const { secret, recoveryCodes } = await enrol(page);
  expect(new Set(recoveryCodes).size).toBe(10);
  for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);

  // The codes are shown once: a reload shows only how many are left.
  await page.reload();
  await expect(page.getByTestId('recovery-codes')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Two-factor sign-in' })).toContainText('10 recovery codes left');

  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);

  // The right password alone does not sign in: the form asks for a code.
  await submitPassword(page, person);
  await expect(page.getByLabel('Authentication code')).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/login');
  const session = (await (await page.request.get('/api/auth/session')).json()) as Record<string, unknown>;
  expect(session).toEqual({});

  // A wrong code is refused; the set-up used this window's code, so the next one (a phone a little ahead) signs in.
  await submitCode(page, codeAt(secret, 25));
  await expect(page.locator('form.auth-form').getByRole('alert')).toContainText('That code is not right');
  const code = codeAt(secret, 1);
  await submitCode(page, code);
  await page.waitForURL('**/editor');

  // The same code again, from another browser, with the right password: refused.
  const other = await newPage(browser);
  await submitPassword(other, person);
  await submitCode(other, code);
  await expect(other.locator('form.auth-form').getByRole('alert')).toContainText('used already');
  expect(new URL(other.url()).pathname).toBe('/login');

  // A recovery code signs in once.
  await submitCode(other, recoveryCodes[0]);
  await other.waitForURL('**/editor');
  const third = await newPage(browser);
  await submitPassword(third, person);
  await submitCode(third, recoveryCodes[0]);
  await expect(third.locator('form.auth-form').getByRole('alert')).toContainText('That code is not right');
  await submitCode(third, recoveryCodes[1].toUpperCase());
  await third.waitForURL('**/editor');
  await third.goto('/editor/account');
  await expect(third.getByRole('region', { name: 'Two-factor sign-in' })).toContainText('8 recovery codes left');

  const audit = await withDb(async (db) =>
    (
      await db.query<{ action: string }>(`select action from audit_log where actor_id = (select id from users where email = $1) order by id`, [person.email])
    ).rows.map((r) => r.action),
  );
  expect(audit).toEqual(expect.arrayContaining(['two-factor.start', 'two-factor.enable', 'signin.two-factor-failure', 'signin.success']));
  for (const p of [page, other, third]) await p.context().close();
});

test('required for admins and editors: an editor without it reaches only their account page; an admin resets it and they are signed out', async ({ browser }) => {
  const admin = await makePerson('admin', 'admin');
  const editor = await makePerson('editor', 'editor');
  const adminPage = await newPage(browser);
  await submitPassword(adminPage, admin);
  await adminPage.waitForURL('**/editor');

  // Not without one's own two-factor sign-in.
  await adminPage.goto('/editor/settings');
  const setting = adminPage.locator('#two-factor-setting');
  await setting.getByLabel('Require two-factor sign-in for admins and editors').check();
  await setting.getByRole('button', { name: 'Save sign-in setting' }).click();
  await expect(setting.getByRole('alert')).toContainText('Set up two-factor sign-in for yourself first');

  await enrol(adminPage);
  await adminPage.goto('/editor/settings');
  await setting.getByLabel('Require two-factor sign-in for admins and editors').check();
  await setting.getByRole('button', { name: 'Save sign-in setting' }).click();
  await expect(setting.getByRole('status')).toHaveText('Two-factor sign-in is now required for admins and editors.');

  // The editor signs in with a password (they have no second factor yet) and can only set it up.
  const editorPage = await newPage(browser);
  await submitPassword(editorPage, editor);
  await editorPage.waitForURL(/\/editor\/account\?two-factor=required$/);
  await expect(editorPage.getByRole('alert').filter({ hasText: 'requires two-factor sign-in' })).toBeVisible();
  await editorPage.goto('/editor/tags');
  await editorPage.waitForURL(/\/editor\/account\?two-factor=required$/);
  await expect(editorPage.getByRole('navigation', { name: 'Editor' }).getByRole('link')).toHaveText(['Account']);
  await expect(editorPage.getByRole('region', { name: 'Signed-in devices' })).toHaveCount(0);

  const { secret } = await enrol(editorPage);
  await editorPage.goto('/editor/tags');
  await expect(editorPage).toHaveURL(/\/editor\/tags$/);
  await expect(editorPage.getByRole('heading', { level: 1 })).toBeVisible();

  // The admin resets the editor's two-factor sign-in (a lost phone): the editor's session ends.
  await adminPage.goto('/editor/users');
  adminPage.once('dialog', (dialog) => void dialog.accept());
  const row = adminPage.getByRole('row').filter({ hasText: editor.email });
  await row.getByRole('button', { name: 'Reset two-factor' }).click();
  await expect(row.getByRole('status').filter({ hasText: 'Two-factor sign-in removed' })).toBeVisible();
  await editorPage.goto('/editor');
  await editorPage.waitForURL(/\/login/);

  // Their password alone signs them in again, straight into setting it up anew.
  await submitPassword(editorPage, editor);
  await editorPage.waitForURL(/\/editor\/account\?two-factor=required$/);
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  const audit = await withDb(async (db) =>
    (
      await db.query<{ action: string; target_id: string }>(
        `select action, target_id from audit_log where actor_id = (select id from users where email = $1) order by id`,
        [admin.email],
      )
    ).rows.map((r) => r.action),
  );
  expect(audit).toEqual(expect.arrayContaining(['settings.require-two-factor', 'two-factor.reset']));

  // Off again, through the form (the other specs run without the requirement).
  await adminPage.goto('/editor/settings');
  await setting.getByLabel('Require two-factor sign-in for admins and editors').uncheck();
  await setting.getByRole('button', { name: 'Save sign-in setting' }).click();
  await expect(setting.getByRole('status')).toHaveText('Two-factor sign-in is no longer required.');
  for (const p of [adminPage, editorPage]) await p.context().close();
});
