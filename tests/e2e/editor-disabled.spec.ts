/**
 * Disabling an account takes effect on the person's next click, not when their session cookie
 * expires (lib/auth/viewer.ts re-reads the account on every request). The account disabled here
 * ("doomed") exists for this spec only.
 */
import { test, expect } from '@playwright/test';
import { accounts, authFile, bodyText, expectSaved, saveState, startPost, typeBody, unique } from './editor-helpers';

const doomed = accounts.doomed;

test.use({ storageState: authFile('doomed') });

test('an author disabled by an admin is signed out on the next click and the next save is refused', async ({ page, browser }) => {
  const word = unique('Cutoff');
  const id = await startPost(page);
  await page.getByLabel('Title', { exact: true }).fill(`Last words ${word}`);
  await typeBody(page, 'Written before the account was disabled.');
  await expectSaved(page);

  // Meanwhile, in the admin's browser: Users → Disable (with the confirmation).
  const adminContext = await browser.newContext({ storageState: authFile('admin') });
  const admin = await adminContext.newPage();
  await admin.goto('/editor/users');
  const row = admin.getByRole('row').filter({ hasText: doomed.email });
  await expect(row.locator('.status-badge')).toHaveText('Active');
  admin.once('dialog', (dialog) => {
    expect(dialog.message()).toContain(`Disable ${doomed.name}?`);
    void dialog.accept();
  });
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row.getByRole('status').filter({ hasText: 'Disabled.' })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();
  await admin.reload();
  await expect(admin.getByRole('row').filter({ hasText: doomed.email }).locator('.status-badge')).toHaveText('Disabled');
  await adminContext.close();

  // The author, still on the open editor, keeps typing: the autosave is refused with a way back in.
  await typeBody(page, ` One more line ${word}.`);
  const refusal = page.locator('.post-editor > .action-error');
  await expect(refusal).toContainText('You need to sign in.', { timeout: 6_000 });
  await expect(refusal.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', `/login?callbackUrl=%2Feditor%2Fposts%2F${id}`);
  await expect(saveState(page)).not.toHaveText('Saved');
  // The refused text is not lost: it stays on screen and in this browser.
  expect(await bodyText(page)).toContain(`One more line ${word}.`);
  expect(await page.evaluate((key) => localStorage.getItem(key), `broadsheet:draft:${id}`)).toContain(`One more line ${word}.`);

  // The next navigation inside the editor lands on the sign-in page.
  await page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Posts' }).click();
  await page.waitForURL(/\/login/);
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  // And stays out: a fresh request for the post is sent to sign in too.
  await page.goto(`/editor/posts/${id}`);
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
});
