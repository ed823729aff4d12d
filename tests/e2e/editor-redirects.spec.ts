/**
 * Redirects (admins only): an admin adds one by hand and a plain HTTP client follows it (one 301
 * with its Location, also from the trailing-slash address, and from WordPress's `/?p=N`; a 302 for
 * a temporary one), imports a CSV and exports it back; a cached 404 for the address is gone the
 * moment the redirect exists. An editor finds neither the page nor the export.
 */
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { authFile, signedOut, unique, withDb } from './editor-helpers';
import { sample } from './data';

const run = unique('e2e-redirect-');

/** One request, no following: the status and Location as a crawler sees them. */
async function hop(request: APIRequestContext, path: string) {
  const response = await request.get(path, { maxRedirects: 0, failOnStatusCode: false });
  return { status: response.status(), location: response.headers()['location'] ?? null };
}

async function addRedirect(page: Page, from: string, to: string, status: '301' | '302') {
  await page.getByLabel('From', { exact: true }).fill(from);
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByLabel('Status').selectOption(status);
  await page.getByRole('button', { name: 'Add redirect' }).click();
}

test.afterAll(async () => {
  await withDb((db) => db.query(`delete from redirects where from_path like $1 or from_path like '/?p=9%'`, [`/${run}%`]));
});

test.describe('as the admin', () => {
  test.use({ storageState: authFile('admin') });

  test('a redirect added by hand answers one 301 (with or without a trailing slash), a temporary one 302, /?p=N too', async ({ page, playwright, baseURL }) => {
    const reader = await playwright.request.newContext({ baseURL, storageState: signedOut });
    const old = `/${run}/2024/01/25/old-post`;
    const postId = String(900_000 + Math.floor(Math.random() * 99_999));
    // Cached as a 404 first: the redirect must replace that answer at once.
    expect((await hop(reader, old)).status).toBe(404);
    expect((await hop(reader, old)).status).toBe(404);

    await page.goto('/editor');
    await page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Redirects' }).click();
    await expect(page.getByRole('heading', { name: 'Redirects', level: 1 })).toBeVisible();

    await addRedirect(page, `${old}/`, sample.path, '301');
    await expect(page.getByRole('status').filter({ hasText: `Added the redirect from ${old}.` })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: old })).toContainText('301 permanent');
    expect(await hop(reader, old)).toEqual({ status: 301, location: sample.path });
    // The old site's trailing slash: one hop, straight to the article (not a 308 to the slash-less address first).
    expect(await hop(reader, `${old}/`)).toEqual({ status: 301, location: sample.path });
    expect(await hop(reader, `${old}/?utm_source=feed`)).toEqual({ status: 301, location: sample.path });

    await addRedirect(page, `/${run}/for-now`, '/tags/security', '302');
    await expect(page.getByRole('status').filter({ hasText: `Added the redirect from /${run}/for-now.` })).toBeVisible();
    expect(await hop(reader, `/${run}/for-now`)).toEqual({ status: 302, location: '/tags/security' });

    await addRedirect(page, `/?p=${postId}`, sample.path, '301');
    await expect(page.getByRole('status').filter({ hasText: `Added the redirect from /?p=${postId}.` })).toBeVisible();
    expect(await hop(reader, `/?p=${postId}`)).toEqual({ status: 301, location: sample.path });
    expect((await hop(reader, '/')).status).toBe(200);

    // Refusals say why.
    await addRedirect(page, sample.path, '/tags/ai', '301');
    await expect(page.locator('p[role="alert"]')).toHaveText(`${sample.path} is answered by the site itself: a redirect from it would never be followed.`);
    await addRedirect(page, '/loop-target', old, '301');
    await addRedirect(page, old, '/loop-target/', '301');
    await expect(page.locator('p[role="alert"]')).toHaveText(`/loop-target already redirects to ${old}: ${old} → /loop-target/ would make a loop.`);
    await withDb((db) => db.query(`delete from redirects where from_path = '/loop-target'`));

    // Search, then delete: the address answers 404 again.
    await page.getByRole('search', { name: 'Search redirects' }).getByLabel('Search').fill(`${run}/for`);
    await page.getByRole('search', { name: 'Search redirects' }).getByRole('button', { name: 'Search' }).click();
    await expect(page.locator('.redirect-table tbody tr')).toHaveCount(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page
      .getByRole('row')
      .filter({ hasText: `/${run}/for-now` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect(page.getByRole('row').filter({ hasText: `/${run}/for-now` })).toHaveCount(0);
    expect((await hop(reader, `/${run}/for-now`)).status).toBe(404);
    await reader.dispose();
  });

  test('a CSV import is all or nothing, and the export reads back the same', async ({ page, request }) => {
    await page.goto('/editor/redirects');
    const upload = async (text: string) => {
      await page.getByLabel('CSV file').setInputFiles({ name: 'redirects.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
      await page.getByRole('button', { name: 'Import CSV' }).click();
    };
    await upload(`from,to,status\r\n/${run}/csv-a,/tags/ai,301\r\nnot-a-path,/tags/ai,301\r\n`);
    await expect(page.locator('p[role="alert"]')).toContainText('Nothing was imported. Line 3: The old address must be');
    expect((await hop(request, `/${run}/csv-a`)).status).toBe(404);

    await upload(`\uFEFFfrom,to,status\r\n/${run}/csv-a/,/tags/ai,\r\n"/${run}/csv,b",/tags/security,302\r\n`);
    await expect(page.getByRole('status').filter({ hasText: 'Imported 2 lines: 2 new, 0 replaced.' })).toBeVisible();
    expect(await hop(request, `/${run}/csv-a`)).toEqual({ status: 301, location: '/tags/ai' });
    expect(await hop(request, `/${run}/csv,b/`)).toEqual({ status: 302, location: '/tags/security' });

    const exported = await request.get('/editor/redirects/export');
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers()['content-disposition']).toContain('attachment');
    const text = await exported.text();
    expect(text.split('\r\n')[0]).toBe('from,to,status');
    expect(text).toContain(`/${run}/csv-a,/tags/ai,301\r\n`);
    expect(text).toContain(`"/${run}/csv,b",/tags/security,302\r\n`);
    // Round trip: the export imports as it is, replacing every line with itself.
    const lines = text.trim().split('\r\n').length - 1;
    await upload(text);
    await expect(page.getByRole('status').filter({ hasText: `Imported ${lines} lines: 0 new, ${lines} replaced.` })).toBeVisible();
    expect(await (await request.get('/editor/redirects/export')).text()).toBe(text);
  });
});

test.describe('as an editor', () => {
  test.use({ storageState: authFile('editor') });

  test('finds no redirects page, link or export', async ({ page, request }) => {
    await page.goto('/editor');
    await expect(page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Redirects' })).toHaveCount(0);
    expect((await page.goto('/editor/redirects'))?.status()).toBe(404);
    expect((await request.get('/editor/redirects/export', { maxRedirects: 0 })).status()).toBe(404);
  });
});
