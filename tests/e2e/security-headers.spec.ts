/**
 * Issue 5: every page carries a Content-Security-Policy with no unsafe-inline scripts (the
 * framework's inline scripts are allowed by hash, lib/server/csp.ts), nosniff and a referrer
 * policy; and a reader using the site normally never trips the policy. Reader pages carry no
 * scripts at all (issue 4: lib/server/scripts.ts).
 */
import { test, expect } from '@playwright/test';
import { expectSecurityHeaders, watchViolations } from './csp-helpers';
import { sample } from './data';

test('reader pages carry the security headers, and reading the site trips no CSP violation', async ({ page, context }) => {
  const violations = await watchViolations(context);
  const readerPages = ['/', sample.path, sample.tags[0].path, sample.authorPath, `/search?q=${sample.searchWord}`, '/posts/no-such-post', '/no/such/page'];
  for (const path of [...readerPages, '/login']) {
    const response = await page.goto(path);
    expectSecurityHeaders(response, { framed: path !== '/login' });
    const scripts = await page.locator('script:not([type="application/ld+json"])').count();
    // Reader pages are sent without scripts (lib/server/scripts.ts): nothing to run, nothing to allow.
    if (readerPages.includes(path)) expect(scripts, `scripts on ${path}`).toBe(0);
    // Elsewhere the framework runs (hydration): its inline flight data was allowed.
    if (scripts > 0) await page.waitForFunction(() => Array.isArray((self as unknown as { __next_f?: unknown[] }).__next_f));
  }
  expect(await page.locator('script:not([type="application/ld+json"])').count(), 'the sign-in page hydrates').toBeGreaterThan(0);

  // Reading on (links, the older-posts pager, the search form) works under the policy.
  await page.goto('/');
  await page.getByRole('link', { name: sample.title }).first().click();
  await expect(page).toHaveURL(new RegExp(`${sample.path}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(sample.title);
  await page.getByRole('link', { name: sample.tags[0].name, exact: true }).first().click();
  await expect(page).toHaveURL(new RegExp(`${sample.tags[0].path}$`));
  await page.goto('/');
  await page.getByRole('link', { name: /older posts/i }).click();
  await expect(page).toHaveURL(/\?after=/);
  await page.getByRole('searchbox').first().fill(sample.searchWord);
  await page.getByRole('searchbox').first().press('Enter');
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.locator('mark').first()).toBeVisible();

  expect(violations).toEqual([]);
});

test('the policy blocks an inline script the server did not hash', async ({ page, context }) => {
  const violations = await watchViolations(context);
  await page.goto(sample.path);
  // What an injected script would meet: the page's own policy refuses to run it.
  const ran = await page.evaluate(() => {
    (window as unknown as { injectedRan: boolean }).injectedRan = false;
    const script = document.createElement('script');
    script.textContent = 'window.injectedRan = true';
    document.body.append(script);
    return (window as unknown as { injectedRan: boolean }).injectedRan;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(violations.join('\n')).toMatch(/script-src/);
});

test('feeds and the sitemap are not HTML and say so, with nosniff', async ({ request }) => {
  for (const [path, type] of [
    ['/feed.xml', 'application/rss+xml'],
    ['/atom.xml', 'application/atom+xml'],
    ['/feed.json', 'application/feed+json'],
    ['/sitemap.xml', 'application/xml'],
  ]) {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain(type);
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
  }
});
