/**
 * The markdown publications need (issue 18), from the author's keyboard to a reader without
 * JavaScript: a footnote, an image with a caption, a callout and a YouTube URL on its own line are
 * typed into the editor, show in the live preview, and are published; the reader's page shows the
 * footnote, the figure, the callout's label and the embed's card with its thumbnail, which the
 * server fetched once from the (local) oEmbed provider and stores as our own media, so the page
 * makes no request to any host but the site.
 */
import { createServer, type Server } from 'node:http';
import { test, expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { authFile, bodyText, expectSaved, signedOut, startPost, statusBadge, unique, withDb } from './editor-helpers';

test.use({ storageState: authFile('author') });

/** Where the server asks every oEmbed question in the e2e run (playwright.config.ts: OEMBED_ENDPOINT). */
const OEMBED_PORT = Number(process.env.E2E_OEMBED_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 9);

let provider: Server;
/** What the provider was asked: `oembed <url>` and `thumbnail`. */
const asked: string[] = [];

test.beforeAll(async () => {
  const thumbnail = await sharp({ create: { width: 480, height: 270, channels: 3, background: '#2a6f97' } })
    .jpeg()
    .toBuffer();
  provider = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${OEMBED_PORT}`);
    if (url.pathname === '/oembed') {
      asked.push(`oembed ${url.searchParams.get('url')}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'video', version: '1.0', title: 'Harbour at dawn, a tour', thumbnail_url: `http://127.0.0.1:${OEMBED_PORT}/vi/thumb.jpg` }));
    } else if (url.pathname === '/vi/thumb.jpg') {
      asked.push('thumbnail');
      res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(thumbnail);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => provider.listen(OEMBED_PORT, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => provider.close(() => resolve()));
});

/**
 * Types each line at the end of the body as a person would. CodeMirror continues a quote on Enter
 * (`> `); whatever it put on the new line is selected first, so the typed line replaces it.
 */
async function typeLines(page: Page, lines: string[]): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  for (const [index, line] of lines.entries()) {
    if (index > 0) await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    if (line) await page.keyboard.type(line);
    else await page.keyboard.press('Delete');
  }
}

async function uploadImage(page: Page, postId: string): Promise<string> {
  const image = await sharp({ create: { width: 1200, height: 675, channels: 3, background: '#d9a441' } })
    .png()
    .toBuffer();
  const response = await page.request.post('/api/media', {
    multipart: { file: { name: 'boats.png', mimeType: 'image/png', buffer: image }, alt: 'Boats at anchor', postId },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { media: { url: string } }).media.url;
}

test('an author types a footnote, a captioned figure, a callout and an embed; a reader without JavaScript reads them, and nothing loads from another site', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const word = unique('Harbour');
  const video = `https://www.youtube.com/watch?v=${word.slice(-11).padStart(11, 'x')}`;
  const postId = await startPost(page);
  const figure = await uploadImage(page, postId);

  await page.getByLabel('Title', { exact: true }).fill(`Field notes ${word}`);
  const lines = [
    `The tide turns twice a day[^tide] in ${word}.`,
    '',
    '<!--more-->',
    '',
    `![Boats at anchor](${figure} "Boats at anchor, six in the morning")`,
    '',
    '> [!WARNING]',
    '> The pier is closed at high tide.',
    '',
    video,
    '',
    '[^tide]: Roughly every twelve hours and twenty-five minutes.',
  ];
  await typeLines(page, lines);
  expect(await bodyText(page)).toBe(lines.join('\n'));

  // The live preview shows each part as the site will.
  const preview = page.getByTestId('live-preview');
  await expect(preview.locator('sup a[data-footnote-ref]')).toHaveText('1');
  await expect(preview.locator('.footnotes li')).toContainText('Roughly every twelve hours');
  await expect(preview.locator('figure figcaption')).toHaveText('Boats at anchor, six in the morning');
  await expect(preview.locator(`figure img[src="${figure}"]`)).toBeVisible();
  await expect(preview.locator('aside.callout.callout-warning .callout-label')).toHaveText('Warning');
  await expect(preview.locator('aside.callout')).toContainText('The pier is closed at high tide.');
  const previewCard = preview.locator('.embed-youtube a.embed-card');
  await expect(previewCard).toHaveAttribute('href', video);
  await expect(previewCard).toContainText('Watch on YouTube');
  await expect(preview).not.toContainText('<!--more-->');
  await expectSaved(page);

  await page.getByRole('button', { name: 'Publish now', exact: true }).click();
  await expect(statusBadge(page)).toHaveText('Published');

  // The server asked the provider once for the whole session (autosaves and the publish share the cache).
  expect(asked).toEqual([`oembed ${video}`, 'thumbnail']);
  const { slug, thumbnail } = await withDb(async (db) => {
    const { rows } = await db.query<{ slug: string; thumbnail: string }>(
      `select p.slug, '/media/' || m.id || '/' || m.width || 'x' || m.height || '/' || m.filename as thumbnail
         from posts p, embeds e join media m on m.id = e.thumbnail_media_id where p.id = $1 and e.url = $2`,
      [postId, video],
    );
    return rows[0];
  });

  // A reader, JavaScript off, recording every request the page makes.
  const reader = await browser.newContext({ storageState: signedOut, javaScriptEnabled: false });
  const readerPage = await reader.newPage();
  const requested: string[] = [];
  readerPage.on('request', (request) => requested.push(request.url()));
  await readerPage.goto(`/posts/${slug}`);
  const article = readerPage.locator('.prose');
  await expect(article.locator('sup a[data-footnote-ref]')).toHaveAttribute('href', '#user-content-fn-tide');
  await expect(article.locator('.footnotes')).toContainText('Roughly every twelve hours and twenty-five minutes.');
  await expect(article.locator('figure figcaption')).toHaveText('Boats at anchor, six in the morning');
  await expect(article.locator('aside.callout-warning .callout-label')).toHaveText('Warning');
  const card = article.locator('.embed-youtube a.embed-card');
  await expect(card).toHaveAttribute('href', video);
  await expect(card.locator('.embed-title')).toHaveText('Harbour at dawn, a tour');
  await expect(card).toContainText('Watch on YouTube');
  const thumb = card.locator('img.embed-thumb');
  await expect(thumb).toHaveAttribute('src', thumbnail);
  await thumb.scrollIntoViewIfNeeded();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
  await article.locator('figure img').scrollIntoViewIfNeeded();
  await expect.poll(() => article.locator('figure img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  // The marker renders nothing.
  expect(await readerPage.content()).not.toContain('<!--more-->');

  const origin = new URL(readerPage.url()).origin;
  expect(requested.length).toBeGreaterThan(2);
  expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
  expect(asked).toEqual([`oembed ${video}`, 'thumbnail']);

  // The excerpt above the marker is the post's standfirst on the home page's card.
  await readerPage.goto('/');
  await expect(readerPage.locator('.card', { hasText: `Field notes ${word}` }).locator('.card-standfirst')).toHaveText(`The tide turns twice a day in ${word}.`);
  await reader.close();
});
