import { test, expect } from '@playwright/test';
import { hidden, sample } from './data';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test.describe('the sample article', () => {
  test.beforeEach(async ({ page }) => {
    // No internet here: the remote hero image fails. The article must not wait for it.
    const started = Date.now();
    const response = await page.goto(sample.path, { waitUntil: 'domcontentloaded' });
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible({ timeout: 3_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('reads as authored: title, subtitle, byline, date, reading time', async ({ page }) => {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(sample.title);
    await expect(page.getByText(sample.subtitle, { exact: true })).toBeVisible();

    const author = page.getByRole('main').getByRole('link', { name: sample.author, exact: true });
    await expect(author).toBeVisible();
    await expect(author).toHaveAttribute('href', sample.authorPath);

    const time = page.locator(`article time[datetime="${sample.isoDate}"]`);
    await expect(time).toHaveCount(1);
    await expect(time).toHaveText(sample.displayDate);
    await expect(page.getByRole('main').getByText(sample.readingTime, { exact: true })).toBeVisible();
  });

  test('shows the hero image, description, body, call to action and tags', async ({ page }) => {
    const hero = page.getByRole('img', { name: sample.heroImageAlt, exact: true });
    await expect(hero).toHaveCount(1);
    await expect(hero).toHaveAttribute('src', sample.heroImage);
    await expect(hero).toHaveAttribute('alt', sample.heroImageAlt);

    await expect(page.getByText(sample.description, { exact: true })).toBeVisible();

    const body = page.getByRole('main').locator('article');
    await expect(body.getByText(sample.bodySentence)).toBeVisible();
    await expect(body.getByText('The numbers are staggering.', { exact: false })).toBeVisible();
    // The markdown was rendered: no raw syntax shows through.
    const bodyText = await body.innerText();
    expect(bodyText).not.toContain('](http');
    expect(bodyText).not.toContain('![');
    expect(bodyText).not.toMatch(/^---$/m);
    // The body's own images came through with their alt text.
    await expect(page.getByRole('img', { name: 'AI security concerns' })).toHaveCount(1);

    await expect(page.getByRole('complementary', { name: 'Call to action' })).toHaveText(sample.cta);

    const tagLinks = page.locator('a[rel~="tag"]');
    await expect(tagLinks).toHaveText(sample.tags.map((t) => t.name));
    for (const tag of sample.tags) {
      await expect(page.getByRole('link', { name: tag.name, exact: true })).toHaveAttribute('href', tag.path);
    }
  });

  test('has the metadata that search engines and link previews read', async ({ page, baseURL }) => {
    const canonical = `${baseURL}${sample.path}`;
    await expect(page).toHaveTitle(new RegExp(`^${escapeRegExp(sample.title)}`));
    const meta = (selector: string) => page.locator(`head ${selector}`);
    await expect(meta('meta[name="description"]')).toHaveAttribute('content', sample.description);
    await expect(meta('link[rel="canonical"]')).toHaveAttribute('href', canonical);
    await expect(meta('meta[property="og:type"]')).toHaveAttribute('content', 'article');
    await expect(meta('meta[property="og:title"]')).toHaveAttribute('content', sample.title);
    await expect(meta('meta[property="og:url"]')).toHaveAttribute('content', canonical);
    await expect(meta('meta[property="article:published_time"]')).toHaveAttribute('content', sample.isoDate);
    await expect(meta('meta[property="og:image"]').first()).toHaveAttribute('content', sample.heroImage);
    await expect(meta('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary_large_image');

    const ld = page.locator('script[type="application/ld+json"]');
    await expect(ld).toHaveCount(1);
    const data = JSON.parse((await ld.textContent()) ?? '');
    expect(data['@context']).toBe('https://schema.org');
    expect(data['@type']).toBe('BlogPosting');
    expect(data.headline).toBe(sample.title);
    expect(data.datePublished).toBe(sample.isoDate);
    expect(data.author?.name).toBe(sample.author);
    expect(data.mainEntityOfPage).toBe(canonical);
  });
});

test.describe('articles that do not exist for readers', () => {
  async function notFoundPage(page: import('@playwright/test').Page, path: string) {
    // 'load': innerText follows the stylesheet (block or inline), which may still be loading at DOMContentLoaded.
    const response = await page.goto(path, { waitUntil: 'load' });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    return {
      status: response?.status(),
      html: (await response?.text()) ?? '',
      // The innermost main: the not-found content itself (see accessibility.spec.ts for the chrome around it).
      main: await page.getByRole('main').last().innerText(),
      body: await page.locator('body').innerText(),
    };
  }

  test('an unknown slug is a 404 "Page not found"', async ({ page }) => {
    const unknown = await notFoundPage(page, '/posts/no-such-article-anywhere');
    expect(unknown.status).toBe(404);
    await expect(page).toHaveTitle(/^Page not found\b/);
    await expect(page.getByRole('link', { name: 'Back to the latest posts' })).toHaveAttribute('href', '/');
  });

  test('an unknown path is the same 404', async ({ page }) => {
    const unknownPost = await notFoundPage(page, '/posts/no-such-article-anywhere');
    const unknownPath = await notFoundPage(page, '/no/such/page');
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.main).toBe(unknownPost.main);
  });

  for (const post of hidden.posts) {
    test(`a ${post.why} post is the same 404 as a slug that never existed`, async ({ page }) => {
      const unknown = await notFoundPage(page, '/posts/no-such-article-anywhere');
      const secret = await notFoundPage(page, `/posts/${post.slug}`);
      expect(secret.status).toBe(404);
      expect(secret.main).toBe(unknown.main);
      // Indistinguishable from a slug that never existed: same page, same title.
      expect(secret.body).toBe(unknown.body);
      await expect(page).toHaveTitle(/^Page not found\b/);
      // Nothing of the post leaks into the markup (title, metadata, streamed payload).
      expect(secret.html).not.toContain(hidden.word);
      expect(secret.html).not.toContain(post.title);
    });
  }
});
