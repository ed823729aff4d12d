/**
 * Scheduling: a post set for a moment a few seconds ahead stays out of every public page until
 * then and is everywhere right after (lib/posts/visibility.ts decides at read time, no job).
 *
 * The schedule input is a plain datetime-local (no step attribute), so a writer can only pick whole
 * minutes: the test picks the next minute boundary at least 15 s away (so up to ~75 s of waiting).
 */
import { test, expect, type APIRequestContext } from '@playwright/test';
import { authFile, expectSaved, signedOut, startPost, statusBadge, typeBody, unique } from './editor-helpers';

test.use({ storageState: authFile('author') });

type Seen = { home: boolean; page: number; feed: boolean };

async function look(reader: APIRequestContext, slug: string, marker: string): Promise<Seen> {
  const [home, post, feed] = await Promise.all([reader.get('/'), reader.get(`/posts/${slug}`), reader.get('/feed.xml')]);
  return { home: (await home.text()).includes(marker), page: post.status(), feed: (await feed.text()).includes(marker) };
}

test('a post scheduled for the next minute is hidden until then and public within 3 seconds after', async ({ page, browser, playwright }) => {
  test.setTimeout(120_000);
  const word = unique('Timely');
  const title = `Scheduled ${word}`;
  await startPost(page);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await typeBody(page, `This goes out on time: ${word}.`);
  await expectSaved(page);
  const slug = await page.getByLabel('Slug').inputValue();
  expect(slug).toBe(`scheduled-${word.toLowerCase()}`);

  // The input means "this wall-clock time in the site's zone"; the hint names the zone's offset.
  const zone = (await page.locator('#publish-at-zone').textContent()) ?? '';
  const [, sign, hh, mm] = /\(UTC([+-])(\d{2}):(\d{2})\)/.exec(zone) ?? [];
  expect(sign, `zone hint "${zone}"`).toBeTruthy();
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
  const at = Math.ceil((Date.now() + 15_000) / 60_000) * 60_000;
  const local = new Date(at + offsetMs).toISOString().slice(0, 16);

  await page.getByLabel('Publish at').fill(local);
  await page.getByRole('button', { name: 'Schedule', exact: true }).click();
  await expect(statusBadge(page)).toHaveText('Scheduled');
  await expect(page.getByRole('region', { name: 'Publishing', exact: true }).locator('time')).toHaveAttribute('datetime', new Date(at).toISOString());

  // A reader with no cookies, asking every second.
  const reader = await playwright.request.newContext({ storageState: signedOut });
  const before = await look(reader, slug, word);
  expect(Date.now()).toBeLessThan(at);
  expect(before).toEqual({ home: false, page: 404, feed: false });

  let firstSeen: number | null = null;
  let seen: Seen = before;
  while (Date.now() < at + 5_000) {
    const asked = Date.now();
    seen = await look(reader, slug, word);
    if (seen.home || seen.page === 200 || seen.feed) {
      // Never before its time (allowing for the request's own duration).
      expect(Date.now(), `visible ${at - asked} ms early: ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(at);
      if (seen.home && seen.page === 200 && seen.feed) {
        firstSeen = asked;
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 - (Date.now() - asked))));
  }
  expect(firstSeen, `still not public 5 s after its time: ${JSON.stringify(seen)}`).not.toBeNull();
  expect(firstSeen! - at).toBeLessThanOrEqual(3_000);
  await reader.dispose();

  // What a reader sees: the article itself.
  const readerContext = await browser.newContext({ storageState: signedOut });
  const readerPage = await readerContext.newPage();
  const response = await readerPage.goto(`/posts/${slug}`);
  expect(response?.status()).toBe(200);
  await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText(title);
  await readerContext.close();

  // The editor now calls it published. Then take it down again, so the reader specs' lists stay as
  // they expect should they run after this one.
  await page.reload();
  await expect(statusBadge(page)).toHaveText('Published');
  await page.getByRole('button', { name: 'Unpublish' }).click();
  await expect(statusBadge(page)).toHaveText('Draft');
  expect((await page.request.get(`/posts/${slug}`)).status()).toBe(404);
});
