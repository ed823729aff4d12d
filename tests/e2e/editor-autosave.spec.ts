/**
 * Writing in the editor as an author: the text saves itself, the preview follows, and text the
 * server never got is kept in the browser and offered back (components/editor/use-autosave.ts,
 * use-post-sync.ts, draft.ts).
 */
import { test, expect } from '@playwright/test';
import { authFile, bodyText, expectSaved, isServerAction, saveState, startPost, typeBody, unique } from './editor-helpers';

test.use({ storageState: authFile('author') });

test('a new post saves itself while the author types, and the preview and word count follow', async ({ page }) => {
  const word = unique('Autosaved');
  const title = `Notes on ${word}`;
  const id = await startPost(page);
  await expect(page.getByTestId('word-count')).toHaveText('0 words');

  await page.getByLabel('Title', { exact: true }).fill(title);
  await typeBody(page, `# Heading about ${word}\n\nOne two three four five.`);
  // Nothing clicked: the indicator moves off "Saved" while typing and comes back by itself.
  await expect(saveState(page)).not.toHaveAttribute('data-state', 'saved');
  const typed = Date.now();
  await expectSaved(page, 5_000);
  expect(Date.now() - typed).toBeLessThan(5_000);

  // The preview renders the markdown with the site's pipeline: a real h1, not "# …" text.
  const preview = page.getByTestId('live-preview');
  await expect(preview.locator('h1')).toContainText(`Heading about ${word}`);
  await expect(preview).not.toContainText('# Heading');
  await expect(preview.locator('p')).toHaveText('One two three four five.');
  // "Heading about X" (3) + five words.
  await expect(page.getByTestId('word-count')).toHaveText('8 words');

  await typeBody(page, ' Six seven.');
  await expect(page.getByTestId('word-count')).toHaveText('10 words');
  await expectSaved(page);

  // A fresh load comes from the server (the browser copy is removed once the server has it).
  expect(await page.evaluate((key) => localStorage.getItem(key), `broadsheet:draft:${id}`)).toBeNull();
  await page.reload();
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  expect(await bodyText(page)).toBe(`# Heading about ${word}\n\nOne two three four five. Six seven.`);
  await expect(page.getByTestId('recover-banner')).toHaveCount(0);
  await expect(saveState(page)).toHaveText('Saved');
  await expect(page.getByTestId('word-count')).toHaveText('10 words');
});

test('text typed while the server cannot be reached is kept in the browser and offered back after a reload', async ({ page, context }) => {
  const word = unique('Unsent');
  const id = await startPost(page);
  await page.getByLabel('Title', { exact: true }).fill(`Recovery ${word}`);
  await typeBody(page, 'Saved first line.');
  await expectSaved(page);

  // The connection drops: what is typed now cannot reach the server.
  await context.setOffline(true);
  await typeBody(page, `\n\nTyped offline: ${word}.`);
  await expect(saveState(page)).toHaveText('Offline: changes kept in this browser', { timeout: 5_000 });
  const kept = await page.evaluate((key) => localStorage.getItem(key), `broadsheet:draft:${id}`);
  expect(kept, 'the browser keeps a copy under broadsheet:draft:<id>').toContain(`Typed offline: ${word}.`);

  // Back online the editor retries at once, but the save request still fails (blocked here), so
  // the server never gets the text before the page is reloaded.
  let blocked = 0;
  await page.route('**/*', (route) => {
    const request = route.request();
    if (isServerAction(request.method(), request.headers()) && request.postData()?.includes('"baseVersion"')) {
      blocked += 1;
      return route.abort('internetdisconnected');
    }
    return route.fallback();
  });
  await context.setOffline(false);
  await expect.poll(() => blocked, { message: 'the editor retried the save when back online' }).toBeGreaterThan(0);
  await expect(saveState(page)).toHaveText('Offline: changes kept in this browser');
  await page.unroute('**/*');

  page.on('dialog', (dialog) => void dialog.accept()); // "leave with unsaved changes?"
  await page.reload();
  // The server's copy, without the unsaved paragraph, plus an offer to bring it back.
  await expect(page.locator('.cm-content')).toContainText('Saved first line.');
  expect(await bodyText(page)).not.toContain(word);
  const banner = page.getByTestId('recover-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Unsaved changes found');

  await banner.getByRole('button', { name: 'Restore unsaved changes from this browser' }).click();
  await expect(banner).toHaveCount(0);
  expect(await bodyText(page)).toBe(`Saved first line.\n\nTyped offline: ${word}.`);
  // Restored text is unsaved text: the autosave takes it to the server.
  await expectSaved(page, 6_000);
  await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), `broadsheet:draft:${id}`)).toBeNull();

  await page.reload();
  await expect(page.getByTestId('recover-banner')).toHaveCount(0);
  expect(await bodyText(page)).toBe(`Saved first line.\n\nTyped offline: ${word}.`);
});
