import { test, expect, type Page } from '@playwright/test';
import { sample } from './data';

const pages = [
  { name: 'home', path: '/' },
  { name: 'older posts', path: '/?after=bogus' },
  { name: 'article', path: sample.path },
  { name: 'tag', path: '/tags/ai' },
  { name: 'author', path: sample.authorPath },
  { name: 'search', path: `/search?q=${sample.searchWord}` },
  { name: 'not found (unknown article)', path: '/posts/no-such-article-anywhere' },
  { name: 'not found (unknown URL)', path: '/no/such/page' },
];

const open = (page: Page, path: string) => page.goto(path, { waitUntil: 'domcontentloaded' });
// Colours need the stylesheet: reader pages have no scripts, so DOMContentLoaded does not wait for it.
const openStyled = (page: Page, path: string) => page.goto(path, { waitUntil: 'load' });

for (const { name, path } of pages) {
  test(`${name}: landmarks, one h1, a language`, async ({ page }) => {
    await open(page, path);
    // Once the page shows its heading, count what is there (no waiting for counts to change).
    await expect(page.locator('h1').first()).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', /^[a-z]{2}(-[A-Z]{2})?$/);
    const count = (selector: string) => page.locator(selector).count();
    expect(await page.getByRole('banner').count(), 'banner landmarks').toBe(1);
    expect(await page.getByRole('main').count(), 'main landmarks').toBe(1);
    expect(await page.getByRole('contentinfo').count(), 'contentinfo landmarks').toBe(1);
    await expect(page.getByRole('banner').getByRole('search')).toBeVisible();
    expect(await count('h1'), 'h1 elements').toBe(1);
    expect(await count('img:not([alt])'), 'images without alt').toBe(0);
    // Ids are unique (the skip link targets #main).
    const ids = await page.locator('[id]').evaluateAll((els) => els.map((e) => e.id));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    // Keyboard readers can skip the masthead everywhere.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? null);
    expect(focused, 'first element reached with Tab').toBe('Skip to content');
  });
}

test('the skip link is the first thing Tab reaches and takes the reader to the content', async ({ page }) => {
  await open(page, sample.path);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expect(skip).toHaveAttribute('href', '#main');

  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  // Focus is now in the content: either main itself, or the next Tab lands inside main and not back in the header.
  const inMain = () => page.evaluate(() => !!document.activeElement?.closest('main'));
  if (!(await inMain())) {
    await page.keyboard.press('Tab');
    expect(await inMain()).toBe(true);
  }
});

test('every image on home and the article says what it is (or that it is decorative)', async ({ page }) => {
  for (const path of ['/', sample.path]) {
    await open(page, path);
    const images = page.locator('img');
    expect(await images.count()).toBeGreaterThan(0);
    await expect(page.locator('img:not([alt])')).toHaveCount(0);
  }
  // The article's hero carries the authored description rather than an empty alt.
  await expect(page.locator('.article-hero img, article figure img').first()).toHaveAttribute('alt', sample.heroImageAlt);
  // Decorative card images are hidden from assistive technology together with their duplicate link.
  await open(page, '/');
  for (const img of await page.locator('main img').all()) {
    const alt = await img.getAttribute('alt');
    if (alt === '') await expect(img.locator('xpath=ancestor::*[@aria-hidden="true"]')).not.toHaveCount(0);
  }
});

test('images are marked up to keep the layout still while they load', async ({ page }) => {
  await open(page, sample.path);
  const hero = page.getByRole('img', { name: sample.heroImageAlt });
  await expect(hero).toHaveAttribute('width', /\d+/);
  await expect(hero).toHaveAttribute('height', /\d+/);
});

async function bodyColours(page: Page) {
  return page.evaluate(() => {
    const style = getComputedStyle(document.body);
    return { background: style.backgroundColor, color: style.color };
  });
}

/** Relative luminance of an rgb()/rgba() colour, 0 (black) … 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? [])
    .slice(0, 3)
    .map(Number)
    .map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test.describe('light theme', () => {
  test.use({ colorScheme: 'light' });
  test('is light, with readable text', async ({ page }) => {
    await openStyled(page, sample.path);
    const light = await bodyColours(page);
    expect(luminance(light.background)).toBeGreaterThan(0.5);
    expect(contrast(light.background, light.color)).toBeGreaterThanOrEqual(7);
  });
});

test.describe('dark theme', () => {
  test.use({ colorScheme: 'dark' });
  test('follows the system and differs from the light one', async ({ page, browser, baseURL }) => {
    await openStyled(page, sample.path);
    const dark = await bodyColours(page);

    const lightContext = await browser.newContext({ colorScheme: 'light', baseURL });
    const lightPage = await lightContext.newPage();
    await openStyled(lightPage, sample.path);
    const light = await bodyColours(lightPage);
    await lightContext.close();

    expect(dark.background).not.toBe(light.background);
    expect(dark.color).not.toBe(light.color);
    expect(luminance(dark.background)).toBeLessThan(luminance(light.background));
    expect(luminance(dark.background)).toBeLessThan(0.1);
    expect(contrast(dark.background, dark.color)).toBeGreaterThanOrEqual(7);
  });
});
