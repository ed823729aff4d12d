import { test, expect, type Page } from '@playwright/test';
import { hidden, publicTitles, sample } from './data';

// Everything a reader does must work from the server-rendered HTML alone.
test.use({ javaScriptEnabled: false });

const cardTitles = (page: Page) => page.getByRole('main').getByRole('article').getByRole('heading', { level: 2 }).allInnerTexts();

test('home lists the newest posts', async ({ page }) => {
  await page.goto('/');
  expect(await cardTitles(page)).toEqual(publicTitles.slice(0, 10));
  await expect(page.getByRole('article').filter({ hasText: sample.title }).getByText(sample.displayDate)).toBeVisible();
});

test('an article renders in full', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: sample.title, exact: true }).click();
  await expect(page).toHaveURL(sample.path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(sample.title);
  await expect(page.getByText(sample.subtitle, { exact: true })).toBeVisible();
  await expect(page.getByText(sample.bodySentence)).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Call to action' })).toHaveText(sample.cta);
  await expect(page.getByRole('img', { name: sample.heroImageAlt })).toHaveAttribute('src', sample.heroImage);
});

test('tag and author pages work from the article', async ({ page }) => {
  await page.goto(sample.path);
  await page.getByRole('link', { name: 'Security', exact: true }).click();
  await expect(page).toHaveURL('/tags/security');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Security');
  expect(await cardTitles(page)).toEqual([sample.title]);

  await page.goto(sample.path);
  await page.getByRole('main').getByRole('link', { name: sample.author, exact: true }).click();
  await expect(page).toHaveURL(sample.authorPath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(sample.author);
  expect(await cardTitles(page)).toEqual([sample.title]);
});

test('the header search form submits with Enter and highlights matches', async ({ page }) => {
  await page.goto('/');
  const search = page.getByRole('banner').getByRole('searchbox', { name: 'Search articles' });
  await search.fill(sample.searchWord);
  await search.press('Enter');
  await expect(page).toHaveURL(`/search?q=${sample.searchWord}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Results for “${sample.searchWord}”`);
  const hit = page.getByRole('main').getByRole('listitem').filter({ hasText: sample.title });
  await expect(hit).toHaveCount(1);
  await expect(hit.locator('mark').first()).toHaveText(new RegExp(sample.searchWord, 'i'));
  await expect(hit.getByRole('link', { name: sample.title })).toHaveAttribute('href', sample.path);
  // The results page keeps the query in its own search box.
  await expect(page.getByRole('main').getByRole('searchbox')).toHaveValue(sample.searchWord);
});

test('pagination follows plain links', async ({ page }) => {
  await page.goto('/');
  const first = await cardTitles(page);
  await page.getByRole('link', { name: /Older posts/ }).click();
  await expect(page).toHaveURL(/\/\?after=/);
  const second = await cardTitles(page);
  expect([...first, ...second]).toEqual(publicTitles);
  await page.getByRole('link', { name: /Newest/ }).click();
  await expect(page).toHaveURL('/');
  expect(await cardTitles(page)).toEqual(first);
});

test('the 404 page is there without JavaScript, for unknown and hidden articles alike', async ({ page }) => {
  for (const path of ['/no/such/page', '/posts/no-such-article-anywhere', `/posts/${hidden.posts[0].slug}`, hidden.tagPath]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    // Without JavaScript the page is complete once loaded: nothing more will render.
    await expect(page.getByRole('heading', { level: 1 }), path).toHaveText('Page not found', { timeout: 1_000 });
    await expect(page.getByRole('link', { name: 'Back to the latest posts' }), path).toBeVisible({ timeout: 1_000 });
  }
});
