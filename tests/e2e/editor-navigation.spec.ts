/**
 * Menus: the admin builds the primary and footer menus (add, move up, remove) and a reader without
 * JavaScript sees them in the header and footer of every page at once; an editor may edit them too,
 * an author finds neither the page nor its link. The menus are emptied afterwards.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { announceToServers, authFile, signedOut, withDb } from './editor-helpers';
import { sample } from './data';

test.afterAll(async () => {
  await withDb(async (db) => {
    await db.query(`delete from navigation_items`);
    await announceToServers(db);
  });
});

async function addItem(page: Page, menu: 'primary' | 'footer', label: string, url: string) {
  await page.getByLabel(`Label of a new ${menu} item`).fill(label);
  await page.getByLabel(`Link of a new ${menu} item`).fill(url);
  await page.getByRole('button', { name: `Save the ${menu} menu` }).click();
  await expect(page.getByLabel(`Label of a new ${menu} item`)).toHaveValue('');
}

/** A reader's view, JavaScript off: the menu links in the header's and the footer's navigation. */
async function readerMenus(browser: Browser, path: string) {
  const context = await browser.newContext({ storageState: signedOut, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(path);
  const links = (name: string) =>
    page
      .getByRole('navigation', { name })
      .getByRole('link')
      .evaluateAll((anchors) => anchors.map((a) => `${a.textContent} ${a.getAttribute('href')}`));
  const menus = { primary: await links('Primary'), footer: await links('Footer') };
  await context.close();
  return menus;
}

test.describe('as the admin', () => {
  test.use({ storageState: authFile('admin') });

  test('menus built in the editor are in the header and footer of reader pages at once, without JavaScript', async ({ page, browser }) => {
    // Cached before: the save must make these pages stale.
    expect(await readerMenus(browser, sample.path)).toEqual({ primary: [], footer: [] });

    await page.goto('/editor');
    await page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Navigation' }).click();
    await expect(page.getByRole('heading', { name: 'Navigation', level: 1 })).toBeVisible();
    await addItem(page, 'primary', 'Security', '/tags/security');
    await addItem(page, 'primary', 'Elsewhere', 'https://example.com/elsewhere');
    await addItem(page, 'primary', 'Doomed', '/doomed');
    await page.getByRole('button', { name: 'Move primary item 2 up' }).click();
    await expect(page.getByLabel('Label of primary item 1')).toHaveValue('Elsewhere');
    await page.getByRole('button', { name: 'Remove primary item 3' }).click();
    await expect(page.getByLabel('Label of primary item 3')).toHaveCount(0);
    await addItem(page, 'footer', 'About', '/about');

    // Refused with the item named.
    await page.getByLabel('Label of a new footer item').fill('Evil');
    await page.getByLabel('Link of a new footer item').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Save the footer menu' }).click();
    await expect(page.locator('p[role="alert"]')).toHaveText('Item 2: A link is a path starting with / or an http(s):// URL.');

    const expected = { primary: ['Elsewhere https://example.com/elsewhere', 'Security /tags/security'], footer: ['About /about'] };
    expect(await readerMenus(browser, sample.path)).toEqual(expected);
    expect(await readerMenus(browser, '/')).toEqual(expected);
    expect(await readerMenus(browser, '/no/such/page')).toEqual(expected);
  });
});

test.describe('as an author', () => {
  test.use({ storageState: authFile('author') });

  test('finds no navigation page or link', async ({ page }) => {
    await page.goto('/editor');
    await expect(page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Navigation' })).toHaveCount(0);
    expect((await page.goto('/editor/navigation'))?.status()).toBe(404);
  });
});
