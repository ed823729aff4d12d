import { test, expect, type Page } from '@playwright/test';
import { fillerTitles, hidden, publicTitles, sample } from './data';

/** The titles of the post cards on the current list page, in order. */
async function cardTitles(page: Page): Promise<string[]> {
  return page.getByRole('main').getByRole('article').getByRole('heading', { level: 2 }).allInnerTexts();
}

/** Every page of a paginated list, following "Older posts" until it stops. */
async function allListTitles(page: Page, start: string): Promise<string[]> {
  await page.goto(start);
  const titles = [...(await cardTitles(page))];
  for (let guard = 0; guard < 10; guard++) {
    const older = page.getByRole('link', { name: /Older posts/ });
    if ((await older.count()) === 0) break;
    await older.click();
    await expect(page).toHaveURL(/[?&]after=/);
    titles.push(...(await cardTitles(page)));
  }
  return titles;
}

test('a reader goes from home to the article, its tag and its author', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: sample.title, exact: true }).click();
  await expect(page).toHaveURL(sample.path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(sample.title);

  await page.getByRole('link', { name: 'AI', exact: true }).click();
  await expect(page).toHaveURL('/tags/ai');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('AI');
  await expect(page).toHaveTitle(/^AI\b/);
  expect(await cardTitles(page)).toEqual([sample.title]);

  const card = page.getByRole('article').filter({ hasText: sample.title });
  await card.getByRole('link', { name: sample.author, exact: true }).click();
  await expect(page).toHaveURL(sample.authorPath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(sample.author);
  expect(await cardTitles(page)).toEqual([sample.title]);
  // And back to the article from the author's page.
  await page.getByRole('link', { name: sample.title, exact: true }).click();
  await expect(page).toHaveURL(sample.path);
});

test('the home page shows each post with title, standfirst, author, date, reading time and image', async ({ page }) => {
  await page.goto('/');
  const card = page.getByRole('main').getByRole('article').filter({ hasText: sample.title });
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('heading', { level: 2 })).toHaveText(sample.title);
  await expect(card.getByText(sample.subtitle, { exact: true })).toBeVisible();
  await expect(card.getByRole('link', { name: sample.author, exact: true })).toHaveAttribute('href', sample.authorPath);
  await expect(card.locator(`time[datetime="${sample.isoDate}"]`)).toHaveText(sample.displayDate);
  await expect(card.getByText(sample.readingTime, { exact: true })).toBeVisible();
  await expect(card.locator('img')).toHaveAttribute('src', sample.heroImage);

  // Every card on the page has the same parts.
  const cards = page.getByRole('main').getByRole('article');
  await expect(cards).toHaveCount(10);
  for (const c of await cards.all()) {
    await expect(c.getByRole('heading', { level: 2 }).getByRole('link')).toHaveAttribute('href', /^\/posts\/[a-z0-9-]+$/);
    await expect(c.locator('time[datetime]')).toHaveText(/^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
    await expect(c.getByText(/^\d+ min read$/)).toBeVisible();
    await expect(c.locator('.byline').getByRole('link')).toHaveAttribute('href', /^\/authors\/[a-z0-9-]+$/);
    await expect(c.locator('img')).toHaveCount(1);
  }
  // Newest first: the 2024 sample, then the fillers from 2023-01-12 down.
  expect(await cardTitles(page)).toEqual(publicTitles.slice(0, 10));
  const filler = cards.filter({ hasText: 'Filler Post 12' });
  await expect(filler.getByText('Filler subtitle number 12', { exact: true })).toBeVisible();
  await expect(filler.getByRole('link', { name: 'Filler Author', exact: true })).toHaveAttribute('href', '/authors/filler-author');
  await expect(filler.locator('time')).toHaveText('January 12, 2023');
});

test('home pagination: "Older posts" shows the rest, nothing repeated, "Newest" goes back', async ({ page }) => {
  await page.goto('/');
  const first = await cardTitles(page);
  expect(first).toHaveLength(10);
  await expect(page.getByRole('link', { name: /Newest/ })).toHaveCount(0);

  await page.getByRole('link', { name: /Older posts/ }).click();
  await expect(page).toHaveURL(/\/\?after=/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Older posts');
  const second = await cardTitles(page);
  expect(second).toEqual(publicTitles.slice(10));
  expect(second.filter((t) => first.includes(t))).toEqual([]);
  expect([...first, ...second].sort()).toEqual([...publicTitles].sort());
  await expect(page.getByRole('link', { name: /Older posts/ })).toHaveCount(0);

  await page.getByRole('link', { name: /Newest/ }).click();
  await expect(page).toHaveURL('/');
  expect(await cardTitles(page)).toEqual(first);
});

test('tag pages paginate too', async ({ page }) => {
  expect(await allListTitles(page, '/tags/filler')).toEqual(fillerTitles);
});

test('a malformed page cursor shows the first page instead of an error', async ({ page }) => {
  const response = await page.goto('/?after=not-a-cursor');
  expect(response?.status()).toBe(200);
  expect(await cardTitles(page)).toEqual(publicTitles.slice(0, 10));
});

test.describe('hidden posts never reach a reader', () => {
  test('no page of the home list shows them', async ({ page }) => {
    const titles = await allListTitles(page, '/');
    expect(titles).toEqual(publicTitles);
    await page.goto('/');
    await expect(page.getByRole('main')).not.toContainText(hidden.word);
  });

  test('their tag is a 404', async ({ page }) => {
    const response = await page.goto(hidden.tagPath);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    expect(await response?.text()).not.toContain(hidden.word);
  });

  test('their author is a 404', async ({ page }) => {
    const response = await page.goto(hidden.authorPath);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    expect(await response?.text()).not.toContain(hidden.word);
  });

  test('search does not find them', async ({ page }) => {
    await page.goto('/');
    const search = page.getByRole('banner').getByRole('searchbox', { name: 'Search articles' });
    await search.fill(hidden.word);
    await search.press('Enter');
    await expect(page).toHaveURL(`/search?q=${hidden.word}`);
    await expect(page.getByText(`No articles match “${hidden.word}”.`)).toBeVisible();
    await expect(page.getByRole('main').getByRole('listitem')).toHaveCount(0);
    // Their titles and bodies are not searchable either.
    await page.goto('/search?q=Scoop');
    await expect(page.getByText('No articles match “Scoop”.')).toBeVisible();
  });
});
