/**
 * Pages (About, Contact): the admin writes one in the Pages tab and publishes it; a reader without
 * JavaScript reads it at /<slug>, and finds it in the sitemap but not on the home page, in the feed,
 * or at /posts/<slug>; a slug the site uses itself is refused with a message. An author sees no
 * Pages tab, and the create action posted directly with kind=page is refused, writing nothing.
 */
import { test, expect } from '@playwright/test';
import { accounts, announceToServers, authFile, expectSaved, openSettings, signedOut, statusBadge, typeBody, unique, withDb } from './editor-helpers';
import { builtActions, callAction, Form, signedInContext } from './mutations-helpers';

const POST_URL = /\/editor\/posts\/([0-9a-f-]{36})$/;

test.describe('as the admin', () => {
  test.use({ storageState: authFile('admin') });

  test('a page written in the Pages tab is at /<slug> and in the sitemap, and in no list or feed', async ({ page, browser }) => {
    test.setTimeout(60_000);
    const marker = unique('Gazetteer');
    // Run again on the same database, the slug must still be free.
    await withDb(async (db) => {
      await db.query(`delete from posts where kind = 'page' and slug like 'about-the-gazette%'`);
      await announceToServers(db);
    });

    await page.goto('/editor');
    await page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Pages', exact: true }).click();
    await page.waitForURL('**/editor/pages');
    await expect(page.getByRole('heading', { name: 'Pages', level: 1 })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Pages by status' })).toBeVisible();

    await page.getByRole('main').getByRole('button', { name: 'New page' }).click();
    await page.waitForURL(POST_URL);
    await expect(page.getByRole('heading', { name: 'Untitled page', level: 1 })).toBeVisible();
    await expect(page.locator('.cm-content')).toBeVisible();
    // What makes no sense for a page is not offered.
    await expect(page.getByLabel('Tags')).toHaveCount(0);
    await expect(page.getByLabel('Call to action')).toHaveCount(0);

    await page.getByLabel('Title', { exact: true }).fill('About the Gazette');
    await typeBody(page, `We print the news. ${marker}.`);
    await expectSaved(page);
    await openSettings(page);
    await expect(page.getByLabel('Slug')).toHaveValue('about-the-gazette');
    await page.getByRole('button', { name: 'Publish now' }).click();
    await expect(statusBadge(page)).toHaveText('Published');

    // A reader, JavaScript off.
    const reader = await browser.newContext({ storageState: signedOut, javaScriptEnabled: false });
    try {
      const readerPage = await reader.newPage();
      const response = await readerPage.goto('/about-the-gazette');
      expect(response?.status()).toBe(200);
      await expect(readerPage.getByRole('heading', { name: 'About the Gazette', level: 1 })).toBeVisible();
      await expect(readerPage.getByText(marker)).toBeVisible();
      // A page, not an article: no byline, date or tags.
      await expect(readerPage.locator('.byline, .article-tags, time')).toHaveCount(0);
      await expect(readerPage.locator('link[rel="canonical"]')).toHaveAttribute('href', /\/about-the-gazette$/);

      expect((await reader.request.get('/posts/about-the-gazette')).status()).toBe(404);
      const home = await reader.request.get('/');
      expect(home.status()).toBe(200);
      expect(await home.text()).not.toContain(marker);
      expect(await home.text()).not.toContain('About the Gazette');
      const feed = await (await reader.request.get('/feed.xml')).text();
      expect(feed).not.toContain('about-the-gazette');
      const sitemap = await (await reader.request.get('/sitemap.xml')).text();
      expect(sitemap).toMatch(/<loc>[^<]*\/about-the-gazette<\/loc>/);
      expect(sitemap).not.toContain('/posts/about-the-gazette');
    } finally {
      await reader.close();
    }

    // The Pages tab finds it; the Posts tab, searched for the same word, does not.
    await page.goto(`/editor/pages?status=published&q=${marker}`);
    await expect(page.getByRole('main').getByRole('link', { name: 'About the Gazette' })).toBeVisible();
    await page.goto(`/editor?q=${marker}`);
    await expect(page.getByRole('main').getByRole('link', { name: 'About the Gazette' })).toHaveCount(0);
  });

  test("a page's slug may not be one the site uses itself", async ({ page, request }) => {
    await page.goto('/editor/pages');
    await page.getByRole('main').getByRole('button', { name: 'New page' }).click();
    await page.waitForURL(POST_URL);
    await page.getByLabel('Title', { exact: true }).fill(unique('Findus'));
    await expectSaved(page);
    await openSettings(page);
    await page.getByLabel('Slug').fill('search');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // Beside the slug field (and in the form's alert).
    await expect(page.locator('#post-slug-error')).toHaveText("'search' is used by the site itself: choose another slug");
    await expect(page.getByLabel('Slug')).toHaveAttribute('aria-invalid', 'true');
    // /search is still the site's search.
    const search = await request.get('/search?q=gazette');
    expect(search.status()).toBe(200);
    expect(await search.text()).toContain('Results for “gazette”');
  });
});

test.describe('as an author', () => {
  test.use({ storageState: authFile('author') });

  test('there is no Pages tab, and creating a page by posting the action directly is refused', async ({ page, baseURL }) => {
    await page.goto('/editor');
    await expect(page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Posts', exact: true })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Pages', exact: true })).toHaveCount(0);
    expect((await page.goto('/editor/pages'))?.status()).toBe(404);

    const create = builtActions().find((action) => action.name === 'createPostAction');
    expect(create, 'createPostAction in the build').toBeDefined();
    const countPages = () => withDb(async (db) => Number((await db.query<{ n: string }>(`select count(*) as n from posts where kind = 'page'`)).rows[0].n));
    const before = await countPages();
    const http = await signedInContext(baseURL!, accounts.author.email, accounts.author.password);
    try {
      const answer = await callAction(http, baseURL!, { path: '/editor/posts/new', id: create!.id, args: [null, new Form({ kind: 'page' })] });
      expect(answer.status).toBe(403);
      expect(answer.redirect).toBeNull();
      expect(answer.result).toMatchObject({ ok: false, error: 'You are not allowed to write pages.' });
    } finally {
      await http.dispose();
    }
    expect(await countPages()).toBe(before);
  });
});
