/**
 * Members (readers who subscribe by email): a reader with JavaScript off subscribes from the home
 * page, reads the confirmation mail the server's job worker wrote (OUTBOX_DIR: the e2e server has
 * no SMTP_URL), confirms, and unsubscribes from the signed link, by the page's button and by
 * RFC 8058's one-click POST. An editor finds the member at /editor/members, adds and erases one,
 * and exports the CSV; an author gets the plain 404.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { signUnsubscribe } from '../../lib/members/signing';
import { sample } from './data';
import { authFile, signedOut, unique, withDb } from './editor-helpers';

const run = unique('e2e-member-');
const reader = `${run}@e2e.test`;
const outbox = path.resolve(process.env.OUTBOX_DIR ?? '.data/outbox');

/** The confirmation link in the mail to `to`, once the worker has written it (polled, not slept). */
async function confirmationLink(to: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const files = (await readdir(outbox).catch(() => [] as string[])).filter((name) => name.endsWith('.eml'));
        for (const file of files) {
          const text = (await readFile(path.join(outbox, file), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          if (!new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}`, 'm').test(text)) continue;
          link = /https?:\/\/[^\s"<>]+\/subscribe\/confirm\?[^\s"<>]+/.exec(text)?.[0];
          if (link) return true;
        }
        return false;
      },
      { timeout: 15_000, message: `a confirmation mail to ${to} in ${outbox}` },
    )
    .toBe(true);
  return link!;
}

async function statusOf(email: string): Promise<string | null> {
  return withDb(async (db) => (await db.query<{ status: string }>('select status from members where email = $1', [email])).rows[0]?.status ?? null);
}

test.afterAll(async () => {
  await withDb((db) => db.query(`delete from members where email like $1`, [`${run}%`]));
});

test.describe('a reader without JavaScript', () => {
  test.use({ javaScriptEnabled: false, storageState: signedOut });

  test('subscribes from the home page, confirms from the mail, and unsubscribes', async ({ page, request, baseURL }) => {
    await page.goto('/');
    const form = page.getByRole('form', { name: 'Get new posts by email' });
    await form.getByLabel('Email').fill(reader.toUpperCase());
    await form.getByLabel('Name (optional)').fill('E2E Reader');
    await form.getByRole('button', { name: 'Subscribe' }).click();
    await expect(page).toHaveURL(/\/subscribe\/sent$/);
    await expect(page.getByRole('heading', { name: 'Check your inbox', level: 1 })).toBeVisible();
    expect(await statusOf(reader)).toBe('pending');

    const link = await confirmationLink(reader);
    expect(link.startsWith(`${baseURL}/subscribe/confirm?`)).toBe(true);
    await page.goto(link);
    await expect(page).toHaveURL(/\/subscribe\/confirmed$/);
    await expect(page.getByRole('heading', { name: 'You are subscribed', level: 1 })).toBeVisible();
    expect(await statusOf(reader)).toBe('subscribed');

    // A tampered link changes nothing.
    await page.goto(link.replace(/s=[^&]+/, 's=' + 'A'.repeat(43)));
    await expect(page.getByRole('heading', { name: 'This link is not valid', level: 1 })).toBeVisible();

    const id = await withDb(async (db) => (await db.query<{ id: string }>('select id from members where email = $1', [reader])).rows[0].id);
    const unsubscribe = `/unsubscribe?${new URLSearchParams({ m: id, s: signUnsubscribe(process.env.AUTH_SECRET!, id) })}`;
    await page.goto(unsubscribe);
    await expect(page.getByRole('heading', { name: 'Unsubscribe', level: 1 })).toBeVisible();
    expect(await statusOf(reader)).toBe('subscribed');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect(page.getByRole('heading', { name: 'You are unsubscribed', level: 1 })).toBeVisible();
    expect(await statusOf(reader)).toBe('unsubscribed');

    // One-click (RFC 8058), as a mail provider posts it: 200, and again harmless.
    const oneClick = await request.post(unsubscribe, { form: { 'List-Unsubscribe': 'One-Click' }, maxRedirects: 0 });
    expect(oneClick.status()).toBe(200);
    expect(await statusOf(reader)).toBe('unsubscribed');
  });

  test('the form is under every article; a hostile address comes back with its reason and is not stored', async ({ page, request, baseURL }) => {
    await page.goto(sample.path);
    await expect(page.getByRole('form', { name: 'Get new posts by email' })).toBeVisible();
    expect(await page.locator('script:not([type="application/ld+json"])').count()).toBe(0);

    const hostile = `${run}-x@e2e.test, victim@e2e.test`;
    const refused = await request.post('/api/subscribe', { form: { email: hostile }, headers: { origin: baseURL! }, maxRedirects: 0 });
    expect(refused.status()).toBe(303);
    expect(refused.headers()['location']).toBe('/subscribe?error=several');
    await page.goto('/subscribe?error=several');
    await expect(page.getByRole('alert')).toHaveText('Enter one email address only.');
    expect(await statusOf(`${run}-x@e2e.test`)).toBeNull();

    const crossSite = await request.post('/api/subscribe', { form: { email: `${run}-y@e2e.test` }, headers: { origin: 'https://evil.example' }, maxRedirects: 0 });
    expect(crossSite.status()).toBe(403);
  });
});

async function acceptDialogs(page: Page) {
  page.on('dialog', (dialog) => void dialog.accept());
}

test.describe('as an editor', () => {
  test.use({ storageState: authFile('editor') });

  test('finds the member, adds one by hand, erases it, and exports the CSV', async ({ page }) => {
    await acceptDialogs(page);
    await page.goto('/editor/members');
    await expect(page.getByRole('heading', { name: 'Members', level: 1 })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Members by status' })).toBeVisible();

    const added = `${run}-added@e2e.test`;
    await page.getByLabel('Email', { exact: true }).fill(added);
    await page.getByLabel('Name', { exact: true }).fill('Hand Added');
    await page.getByLabel(/They agreed/).check();
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added as subscribed.' })).toBeVisible();
    expect(await statusOf(added)).toBe('subscribed');

    await page.getByRole('searchbox', { name: 'Search' }).fill(run);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('row').filter({ hasText: added });
    await expect(row).toContainText('subscribed');

    const download = await page.request.get('/editor/members/export');
    expect(download.status()).toBe(200);
    expect(await download.text()).toContain(`${added},Hand Added,`);

    await row.getByRole('button', { name: 'Delete' }).click();
    // The row goes, and its button's "Deleted." with it.
    await expect(row).toHaveCount(0);
    expect(await statusOf(added)).toBeNull();
    const audit = await withDb(
      async (db) => (await db.query<{ entry: string }>(`select row_to_json(a)::text as entry from audit_log a where action like 'member.%'`)).rows,
    );
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit.map((row) => row.entry).join('\n')).not.toContain(run);
  });
});

test.describe('as an author', () => {
  test.use({ storageState: authFile('author') });

  test('the members page and its export are the plain 404', async ({ page }) => {
    const response = await page.goto('/editor/members');
    expect(response?.status()).toBe(404);
    expect((await page.request.get('/editor/members/export')).status()).toBe(404);
  });
});
