/**
 * Images in the editor, as an author: the hero upload button, paste and drop into the CodeMirror
 * body (components/editor/media-insert.ts), the refusal of a disguised file, and the library at
 * /editor/media (alt text, delete, refusal while in use). The server (POST /api/media,
 * lib/media) decides; the browser only fails fast.
 */
import { test, expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { authFile, bodyText, expectSaved, signedOut, startPost, unique } from './editor-helpers';

test.use({ storageState: authFile('author') });

const MEDIA_MARKDOWN = /!\[[^\]]*\]\((\/media\/[^)\s]+)\)/;

/** A small image of a random colour, so the server's de-duplication never merges two tests' uploads. */
async function image(format: 'png' | 'jpeg', width = 48, height = 32): Promise<Buffer> {
  const channel = () => Math.floor(Math.random() * 256);
  const base = sharp({ create: { width, height, channels: 3, background: { r: channel(), g: channel(), b: channel() } } });
  return format === 'png' ? base.png().toBuffer() : base.jpeg({ quality: 80 }).toBuffer();
}

type FileSpec = { name: string; type: string; base64: string };
const fileSpec = (name: string, type: string, bytes: Buffer): FileSpec => ({ name, type, base64: bytes.toString('base64') });

/** What the browser does when an image is pasted from the clipboard. */
async function pasteFile(page: Page, file: FileSpec): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.locator('.cm-content').evaluate((content, { name, type, base64 }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], name, { type }));
    content.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, file);
}

/**
 * What the browser does when a file is dragged from the desktop and dropped on the editor, in the
 * empty space below the text: the events go to whatever element is under that point.
 */
async function dropFile(page: Page, file: FileSpec): Promise<void> {
  await page.locator('.cm-content').evaluate((content, { name, type, base64 }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], name, { type }));
    const box = content.getBoundingClientRect();
    const point = { clientX: box.left + 20, clientY: box.bottom + 40 };
    const target = document.elementFromPoint(point.clientX, point.clientY) ?? content;
    for (const kind of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(kind, { ...point, bubbles: true, cancelable: true, dataTransfer: data }));
    }
  }, file);
}

test('a hero image is uploaded from the post form and the alt text is asked for', async ({ page }) => {
  await startPost(page);
  const name = `${unique('hero')}.png`;
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload image', exact: true }).click();
  await (await chooser).setFiles({ name, mimeType: 'image/png', buffer: await image('png', 400, 300) });

  const hero = page.getByLabel('Hero image URL');
  await expect(hero).toHaveValue(/^\/media\/[0-9a-f-]{36}\/400x300\/[a-z0-9-]+\.png$/, { timeout: 15_000 });
  // The alt text was empty: the focus waits there, with a prompt to describe the image.
  const alt = page.getByLabel('Hero image alt text');
  await expect(alt).toBeFocused();
  await expect(alt).toHaveAccessibleDescription(/describe it/i);
  // A thumbnail from the 320-wide variant.
  await expect(page.getByTestId('hero-thumbnail')).toHaveAttribute('src', /\/w320\.webp$/);
  await expect(page.getByTestId('hero-thumbnail')).toHaveJSProperty('naturalWidth', 320);
  await alt.fill('A flat test colour');
  await expectSaved(page, 8_000);
});

test('images pasted and dropped into the body are uploaded and inserted; a disguised file is refused', async ({ page }) => {
  await startPost(page);
  await page.getByLabel('Title', { exact: true }).fill(unique('Pictures '));

  await pasteFile(page, fileSpec(`${unique('pasted')}.png`, 'image/png', await image('png')));
  await expect.poll(() => bodyText(page), { timeout: 15_000 }).toMatch(MEDIA_MARKDOWN);
  expect(await bodyText(page)).not.toContain('Uploading');
  const preview = page.getByTestId('live-preview');
  const img = preview.locator('img[src^="/media/"]').first();
  await expect(img).toBeVisible();
  await expect(img).toHaveAttribute('width', /^\d+$/);
  await expect(img).toHaveAttribute('height', /^\d+$/);

  await dropFile(page, fileSpec(`${unique('dropped')}.jpg`, 'image/jpeg', await image('jpeg')));
  // Dropped below the text: a paragraph of its own at the end, the pasted image left whole.
  await expect.poll(async () => (await bodyText(page)).match(new RegExp(MEDIA_MARKDOWN, 'g'))?.length ?? 0, { timeout: 15_000 }).toBe(2);
  expect(await bodyText(page)).toMatch(/^!\[[^\]]*\]\(\/media\/[^)]+\.png\)\n\n!\[[^\]]*\]\(\/media\/[^)]+\.jpg\)$/);
  await expect(preview.locator('img[src^="/media/"]')).toHaveCount(2);

  // Text in an image's clothes: the server looks at the bytes and refuses; nothing stays in the body.
  const before = await bodyText(page);
  await pasteFile(page, fileSpec('evil.png', 'image/png', Buffer.from('this is not a picture at all, just text\n')));
  await expect(page.getByTestId('media-upload-error')).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => bodyText(page)).toBe(before);

  // A plain text paste is still CodeMirror's own.
  await page.locator('.cm-content').evaluate((content) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'Plain words pasted.');
    content.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect.poll(() => bodyText(page)).toContain('Plain words pasted.');
  await expectSaved(page, 8_000);
});

test('the library lists uploads, edits alt text, deletes an unused image and refuses a used one', async ({ page, browser }) => {
  // One image used by a post (pasted into its body and saved) …
  await startPost(page);
  const usedName = `${unique('libused')}.png`;
  await pasteFile(page, fileSpec(usedName, 'image/png', await image('png')));
  await expect.poll(() => bodyText(page), { timeout: 15_000 }).toMatch(MEDIA_MARKDOWN);
  await expectSaved(page, 8_000);
  const usedUrl = MEDIA_MARKDOWN.exec(await bodyText(page))![1];

  // … and one uploaded straight into the library.
  await page.goto('/editor/media');
  await expect(page.getByRole('heading', { level: 1, name: 'Media' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Media' })).toHaveAttribute('aria-current', 'page');
  const freeName = `${unique('libfree')}.jpg`;
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Upload images' }).click();
  await (await chooser).setFiles({ name: freeName, mimeType: 'image/jpeg', buffer: await image('jpeg') });
  await expect(page.getByText('Uploaded 1 image.')).toBeVisible({ timeout: 15_000 });
  const free = page.getByTestId('media-card').filter({ hasText: freeName.replace(/\.jpg$/, '') });
  await expect(free).toBeVisible();
  const freeImg = free.locator('img');
  await expect(freeImg).toHaveAttribute('loading', 'lazy');
  await expect(freeImg).toHaveAttribute('width', '48');
  await expect(freeImg).toHaveAttribute('height', '32');
  await expect(free).toContainText('48 × 32');
  await expect(free).toContainText('Arthur Penhold');
  await expect(free).toContainText('Not used in any post.');

  // Alt text, saved and still there after a reload.
  await free.getByLabel(/Alt text/).fill('Plain colour swatch');
  await free.getByRole('button', { name: 'Save' }).click();
  await expect(free.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(free.getByLabel(/Alt text/)).toHaveValue('Plain colour swatch');

  // Search by name finds the used one and shows where it is used; it cannot be deleted.
  await page.getByLabel('Search by file name').fill(usedName.replace(/\.png$/, ''));
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/\?q=/);
  const used = page.getByTestId('media-card');
  await expect(used).toHaveCount(1);
  await expect(used.getByRole('link', { name: '(untitled)' })).toHaveAttribute('href', /^\/editor\/posts\/[0-9a-f-]{36}$/);
  await expect(used.getByTestId('media-in-use')).toContainText('cannot be deleted');
  await expect(used.getByRole('button', { name: 'Delete' })).toBeDisabled();
  await page.getByRole('link', { name: 'Clear search' }).click();

  // The unused one is deleted after the confirmation.
  page.once('dialog', (dialog) => void dialog.accept());
  await free.getByRole('button', { name: /Delete/ }).click();
  await expect(free).toHaveCount(0);
  await page.goto(`/editor/media?q=${freeName.replace(/\.jpg$/, '')}`);
  await expect(page.getByText(/No images match/)).toBeVisible();

  // The image itself is served for ever-cacheable; signed out, uploading is refused.
  const served = await page.request.get(usedUrl);
  expect(served.status()).toBe(200);
  expect(served.headers()['cache-control']).toContain('immutable');
  const reader = await browser.newContext({ storageState: signedOut });
  const refused = await reader.request.post('/api/media', {
    multipart: { file: { name: 'anon.png', mimeType: 'image/png', buffer: await image('png') } },
  });
  expect(refused.status()).toBe(401);
  await reader.close();
});
