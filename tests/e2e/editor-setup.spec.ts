/**
 * The first thing the editor specs do (Playwright project `editor-setup`, which the `editor`
 * project depends on): first-run setup through the UI, then the other accounts, then one signed-in
 * browser state per role (test-results/.auth/<role>.json), each signed in through the real form.
 *
 * global-setup.ts leaves only the imported, email-less bylines: nobody can sign in, so /setup is open.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { test, expect } from '@playwright/test';
import { accounts, authFile, signIn, withDb, type Account, type Role } from './editor-helpers';

test.describe.configure({ mode: 'serial' });

test('first run: /login offers to create the first admin, /setup creates it, it signs in, then /setup is gone', async ({ page, request }) => {
  const admin = accounts.admin;

  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  const offer = page.getByRole('link', { name: 'create the first admin' });
  await expect(offer).toBeVisible();
  await offer.click();

  await page.waitForURL('**/setup');
  await expect(page.getByRole('heading', { name: 'Create the first admin' })).toBeVisible();
  await page.getByLabel('Your name').fill(admin.name);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Password again').fill(admin.password);
  await page.getByRole('button', { name: 'Create admin account' }).click();

  await page.waitForURL('**/login?setup=1');
  await expect(page.getByRole('status').filter({ hasText: 'Your admin account is ready.' })).toBeVisible();
  // Someone can sign in now: the offer is gone.
  await expect(page.getByRole('link', { name: 'create the first admin' })).toHaveCount(0);

  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/editor');
  await expect(page.getByRole('banner')).toContainText(admin.name);
  await expect(page.locator('.editor-viewer .role-badge')).toHaveText('admin');

  mkdirSync(path.dirname(authFile('admin')), { recursive: true });
  await page.context().storageState({ path: authFile('admin') });

  // Setup happens once: afterwards the page does not exist, signed in or not.
  const again = await page.goto('/setup');
  expect(again?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Create the first admin' })).toHaveCount(0);
  const anonymous = await request.get('/setup');
  expect(anonymous.status()).toBe(404);
});

test('the other accounts exist and each signs in through the login form', async ({ browser }) => {
  // No mail here, so the invite flow would only add clicks: the accounts are inserted directly,
  // with the same argon2id hashing the app uses (lib/auth/password.ts).
  const others = (Object.values(accounts) as Account[]).filter((a) => a.role !== 'admin');
  await withDb(async (db) => {
    for (const account of others) {
      const slug = account.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      await db.query(`insert into users (email, name, slug, role, password_hash) values ($1, $2, $3, $4::role, $5)`, [
        account.email,
        account.name,
        slug,
        account.dbRole,
        await hash(account.password, { algorithm: 2 }),
      ]);
    }
  });

  const roles: Role[] = ['editor', 'author', 'contributor', 'doomed'];
  await Promise.all(
    roles.map(async (role) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, accounts[role]);
      await expect(page.locator('.editor-viewer')).toContainText(accounts[role].name);
      await expect(page.locator('.editor-viewer .role-badge')).toHaveText(accounts[role].dbRole);
      await context.storageState({ path: authFile(role) });
      await context.close();
    }),
  );
});
