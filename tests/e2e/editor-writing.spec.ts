/**
 * An author's day in the writing-first editor (issue 18), at a laptop's 1280×800 and a phone's
 * 390×844: "New post" opens the editor at once and the draft exists only once something is typed
 * (nothing typed while it is being created is lost); the toolbar and the shortcuts write markdown
 * (and undo like typing); an image goes in through the picker with a caption; the split preview
 * shows the text and follows its scroll; focus mode; the settings panel by keyboard; tags; a
 * schedule for the next minute; a footnote, an embed and a co-author on the way; and a reader
 * without JavaScript reads the result.
 */
import { test, expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { accounts, authFile, bodyText, expectSaved, isServerAction, openSettings, saveState, signedOut, statusBadge, unique, withDb } from './editor-helpers';

test.use({ storageState: authFile('author') });

const POST_URL = /\/editor\/posts\/([0-9a-f-]{36})$/;
const MEDIA_MARKDOWN = /!\[([^\]]*)\]\((\/media\/[^)\s]+)\)/;
/** A video on its own line: a link card (its provider is not reachable here, so the card has no thumbnail: editor-markdown.spec.ts has one). */
const VIDEO = 'https://www.youtube.com/watch?v=aqz-KE-bpKQ';

async function postsByAuthor(): Promise<number> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ n: string }>('select count(*) as n from posts p join users u on u.id = p.author_id where u.email = $1', [
      accounts.author.email,
    ]);
    return Number(rows[0].n);
  });
}

/** What the browser does with a text paste: CodeMirror inserts it at the caret. */
async function pasteText(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').evaluate((content, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    content.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

async function pressTimes(page: Page, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await page.keyboard.press(key);
}

/** The document never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

for (const { name, viewport } of [
  { name: 'laptop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
]) {
  test.describe(`at ${viewport.width}×${viewport.height} (${name})`, () => {
    test.use({ viewport });

    test('an author writes, formats, illustrates, previews, tags and schedules a post that a reader without JavaScript then reads', async ({ page, browser }) => {
      test.setTimeout(180_000);
      const word = unique('Writer');
      const title = `A day of ${word}`;
      const narrow = viewport.width < 500;

      // "New post" opens the editor itself: no button to press, and no draft yet.
      const before = await postsByAuthor();
      await page.goto('/editor');
      await page.getByRole('main').getByRole('link', { name: 'New post' }).click();
      await page.waitForURL('**/editor/posts/new');
      await expect(page.getByLabel('Title', { exact: true })).toBeVisible();
      await expect(page.locator('.cm-content')).toBeVisible();
      await expect(page.getByTestId('word-count')).toHaveText('0 words');
      await expectNoSidewaysScroll(page);
      if (narrow) {
        // The toolbar scrolls sideways on its own instead of widening the page.
        const toolbar = page.getByRole('group', { name: 'Formatting' });
        expect(await toolbar.evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto')).toBe(true);
      }
      // The page is working (the panel opens and shuts) and still nothing was created.
      const settingsToggle = page.getByRole('button', { name: 'Settings', exact: true });
      await settingsToggle.click();
      await expect(page.getByRole('complementary', { name: 'Post settings' })).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('complementary', { name: 'Post settings' })).toBeHidden();
      expect(await postsByAuthor()).toBe(before);
      expect(page.url()).toMatch(/\/editor\/posts\/new$/);

      // The first keystroke creates the draft; the create is slowed down, and everything typed
      // meanwhile (title and body) still reaches the server.
      let releaseCreate: () => void = () => undefined;
      const createHeld = new Promise<void>((resolve) => (releaseCreate = resolve));
      let creates = 0;
      await page.route('**/*', async (route) => {
        const request = route.request();
        if (isServerAction(request.method(), request.headers()) && request.postData() === '[{"kind":"post"}]') {
          creates += 1;
          await createHeld;
        }
        return route.fallback();
      });
      await page.getByLabel('Title', { exact: true }).pressSequentially(title);
      await expect.poll(() => creates).toBe(1);
      await page.getByLabel('Subtitle', { exact: true }).fill('Written while the draft was being made');
      const content = page.locator('.cm-content');
      await content.click();
      await page.keyboard.type('Intro strong and slanted see docs\n\nSection\n\nQuoted\n\nItem\n\nx = 1');
      expect(page.url(), 'the address changes only once the draft exists').toMatch(/\/editor\/posts\/new$/);
      releaseCreate();
      await page.waitForURL(POST_URL);
      const id = POST_URL.exec(page.url())![1];
      await page.unroute('**/*');
      expect(creates, 'one draft, however many keystrokes').toBe(1);
      expect(await postsByAuthor()).toBe(before + 1);
      // Not a navigation: the editor kept its state (and the caret) through the change of address.
      await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title);
      await expectSaved(page, 8_000);

      // Shortcuts and the toolbar, working backwards from the last line.
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Control+e'); // code
      expect(await bodyText(page)).toContain('`x = 1`');
      // The formatting is one step in the editor's history: undo takes it back, redo restores it.
      await page.keyboard.press('Control+z');
      await expect.poll(() => bodyText(page)).toMatch(/\nx = 1$/);
      await page.keyboard.press('Control+y');
      await expect.poll(() => bodyText(page)).toMatch(/\n`x = 1`$/);
      await page.keyboard.press('End'); // ends the selection the redo left
      await pressTimes(page, 'ArrowUp', 2);
      await page.keyboard.press('Control+Shift+8'); // list
      await pressTimes(page, 'ArrowUp', 2);
      // The toolbar's button leaves the caret in the text.
      await page.getByRole('group', { name: 'Formatting' }).getByRole('button', { name: 'Quote' }).click();
      await expect(content).toBeFocused();
      await pressTimes(page, 'ArrowUp', 2);
      await page.keyboard.press('Control+Alt+2'); // heading
      await page.keyboard.press('Control+Home'); // (the first line wraps on a phone: ArrowUp would land in its second row)
      await pressTimes(page, 'ArrowRight', 'Intro '.length);
      await pressTimes(page, 'Shift+ArrowRight', 'strong'.length);
      await page.keyboard.press('Control+b');
      await pressTimes(page, 'ArrowRight', 1 + '** and '.length);
      await pressTimes(page, 'Shift+ArrowRight', 'slanted'.length);
      await page.keyboard.press('Control+i');
      await pressTimes(page, 'ArrowRight', 1 + '_ see '.length);
      await pressTimes(page, 'Shift+ArrowRight', 'docs'.length);
      await page.keyboard.press('Control+k'); // link: the address is selected, ready to be typed over
      await page.keyboard.type('https://example.org/docs');
      expect(await bodyText(page)).toBe('Intro **strong** and _slanted_ see [docs](https://example.org/docs)\n\n## Section\n\n> Quoted\n\n- Item\n\n`x = 1`');

      // A long stretch of text, then an image through the picker, given a caption.
      await page.keyboard.press('Control+End');
      const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of the long middle, about ${word}.`).join('\n\n');
      const extras = `Tides turn twice a day.[^tide]\n\n${VIDEO}\n\n[^tide]: Roughly every twelve hours.`;
      await pasteText(page, `\n\n${paragraphs}\n\n${extras}\n\n`);
      const colour = () => Math.floor(Math.random() * 256);
      const png = await sharp({ create: { width: 60, height: 40, channels: 3, background: { r: colour(), g: colour(), b: colour() } } })
        .png()
        .toBuffer();
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('group', { name: 'Formatting' }).getByRole('button', { name: 'Insert image' }).click();
      await (await chooser).setFiles({ name: `${unique('picked')}.png`, mimeType: 'image/png', buffer: png });
      await expect.poll(() => bodyText(page), { timeout: 15_000 }).toMatch(MEDIA_MARKDOWN);
      expect(await bodyText(page)).not.toContain('Uploading');
      await content.click();
      await page.keyboard.press('Control+End');
      const imageLine = (await bodyText(page)).split('\n').at(-1)!;
      expect(imageLine).toMatch(MEDIA_MARKDOWN);
      // `![alt](src "caption")`: the alt text describes the image, the caption is shown under it.
      // Everything after "![" is typed again (the line wraps on a phone, so Home would stop short).
      await pressTimes(page, 'Shift+ArrowLeft', imageLine.length - 2);
      const [, , src] = MEDIA_MARKDOWN.exec(imageLine)!;
      await page.keyboard.type(`A square of one colour](${src} "Caption of the picked square")`);
      await expect
        .poll(() => bodyText(page))
        .toMatch(new RegExp(`\\n!\\[A square of one colour\\]\\(${src.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} "Caption of the picked square"\\)$`));
      // Far down a long text, the count and the reading time are still in sight.
      await expect(page.getByTestId('word-count')).toBeInViewport();
      await expect(page.getByTestId('word-count')).toHaveText(/^\d{3} words$/);
      await expect(page.getByTestId('reading-time')).toHaveText('2 min read');

      // The split preview: the rendered text beside (or, on a phone, under) the markdown.
      const split = page.getByRole('button', { name: 'Split preview' });
      await split.click();
      await expect(split).toHaveAttribute('aria-pressed', 'true');
      const preview = page.getByTestId('live-preview');
      await expect(preview.locator('strong')).toHaveText('strong');
      await expect(preview.locator('em')).toHaveText('slanted');
      await expect(preview.locator('a[href="https://example.org/docs"]')).toHaveText('docs');
      // (The footnotes bring a heading and a list item of their own.)
      await expect(preview.getByRole('heading', { level: 2, name: 'Section' })).toBeVisible();
      await expect(preview.locator('blockquote')).toContainText('Quoted');
      await expect(preview.locator('ul > li')).toHaveText('Item');
      await expect(preview.locator('code')).toHaveText('x = 1');
      await expect(preview.locator('figure figcaption')).toHaveText('Caption of the picked square');
      await expect(preview.locator('figure img')).toHaveAttribute('alt', 'A square of one colour');
      await expect(preview.locator('.footnotes li')).toContainText('Roughly every twelve hours.');
      await expect(preview.locator(`a.embed-card[href="${VIDEO}"]`)).toBeVisible();
      if (!narrow) {
        const [text, shown] = [await page.locator('.body-field').boundingBox(), await preview.boundingBox()];
        expect(shown!.x, 'the preview is beside the text').toBeGreaterThan(text!.x + text!.width - 1);
      }
      // It follows the text's scroll: the end of the text shows the end of the preview, the top the top.
      const scroller = page.locator('.body-field .cm-scroller');
      const scrollOf = (selector: string) => page.locator(selector).evaluate((el) => ({ top: el.scrollTop, max: el.scrollHeight - el.clientHeight }));
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect.poll(async () => (await scrollOf('[data-testid="live-preview"]')).max).toBeGreaterThan(100);
      await expect
        .poll(async () => {
          const shown = await scrollOf('[data-testid="live-preview"]');
          return Math.abs(shown.max - shown.top);
        })
        .toBeLessThan(5);
      await scroller.evaluate((el) => el.scrollTo({ top: (el.scrollHeight - el.clientHeight) / 2 }));
      await expect
        .poll(async () => {
          const shown = await scrollOf('[data-testid="live-preview"]');
          return Math.round((shown.top / shown.max) * 100);
        })
        .toBeGreaterThanOrEqual(45);
      expect(await scrollOf('[data-testid="live-preview"]').then((s) => Math.round((s.top / s.max) * 100))).toBeLessThanOrEqual(55);
      await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
      await expect.poll(async () => (await scrollOf('[data-testid="live-preview"]')).top).toBe(0);
      await expectNoSidewaysScroll(page);

      // Focus mode: the text alone; the shortcut enters it, Escape leaves it.
      await content.click();
      await page.keyboard.press('Control+Shift+F');
      const leave = page.getByRole('button', { name: 'Leave focus mode' });
      await expect(leave).toBeVisible();
      await expect(page.getByRole('group', { name: 'Formatting' })).toBeHidden();
      await expect(settingsToggle).toHaveCount(0);
      await expect(preview).toHaveCount(0);
      await expect(page.getByTestId('word-count')).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('button', { name: 'Focus', exact: true })).toBeVisible();
      await expect(settingsToggle).toBeVisible();

      // The settings panel by keyboard: Enter on its toggle opens it with the focus inside, Escape
      // shuts it and gives the focus back.
      await settingsToggle.focus();
      await page.keyboard.press('Enter');
      const panel = page.getByRole('complementary', { name: 'Post settings' });
      await expect(settingsToggle).toHaveAttribute('aria-expanded', 'true');
      await expect(panel.getByRole('heading', { name: 'Post settings' })).toBeFocused();
      if (narrow) {
        // A sheet over the whole screen on a phone.
        const box = await panel.boundingBox();
        expect(box).toMatchObject({ x: 0, y: 0, width: viewport.width });
        expect(Math.round(box!.height)).toBe(viewport.height);
      } else {
        const [text, side] = [await page.locator('.editor-form').boundingBox(), await panel.boundingBox()];
        expect(side!.x, 'the panel is beside the text, never above it').toBeGreaterThan(text!.x + text!.width - 1);
      }
      // Everything on screen at once (text, preview, panel): still one h1, and no id used twice.
      const ids = await page.locator('[id]').evaluateAll((els) => els.map((el) => el.id));
      expect(ids.filter((one, i) => ids.indexOf(one) !== i)).toEqual([]);
      await expect(page.locator('h1')).toHaveCount(1);
      await page.keyboard.press('Escape');
      await expect(panel).toBeHidden();
      await expect(settingsToggle).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(panel).toBeVisible();

      await panel.getByLabel('Tags').fill('Writing days, Workflow');
      await expect(panel.getByRole('button', { name: 'Remove tag Writing days' })).toBeVisible();
      // A co-author after the author, who stays first.
      const byline = panel.getByRole('list', { name: 'Authors in byline order' });
      await expect(byline.locator('.author-name')).toHaveText([`${accounts.author.name} (primary)`]);
      await panel.getByLabel('Add an author').selectOption({ label: accounts.editor.name });
      await panel.getByRole('button', { name: 'Add author' }).click();
      await expect(byline.locator('.author-name')).toHaveText([`${accounts.author.name} (primary)`, accounts.editor.name]);
      await expectSaved(page, 8_000);
      const slug = await panel.getByLabel('Slug').inputValue();
      expect(slug).toBe(`a-day-of-${word.toLowerCase()}`);

      // Scheduled for the next whole minute at least 15 s away, in the site's time zone.
      const zone = (await page.locator('#publish-at-zone').textContent()) ?? '';
      const [, sign, hh, mm] = /\(UTC([+-])(\d{2}):(\d{2})\)/.exec(zone) ?? [];
      const offsetMs = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
      const at = Math.ceil((Date.now() + 15_000) / 60_000) * 60_000;
      await panel.getByLabel('Publish at').fill(new Date(at + offsetMs).toISOString().slice(0, 16));
      await panel.getByRole('button', { name: 'Schedule', exact: true }).click();
      // (The first publish or schedule re-renders the page at the draft's address: the panel stays open.)
      await expect(statusBadge(page)).toHaveText('Scheduled');
      await expect(panel).toBeVisible();
      await expect(saveState(page)).toHaveText('Saved');
      await expectNoSidewaysScroll(page);

      // A reader with JavaScript off, once its time has come.
      const reader = await browser.newContext({ storageState: signedOut, javaScriptEnabled: false, viewport });
      const readerPage = await reader.newPage();
      await expect.poll(async () => (await readerPage.goto(`/posts/${slug}`))?.status(), { timeout: 90_000, intervals: [1_000] }).toBe(200);
      expect(Date.now()).toBeGreaterThanOrEqual(at);
      // The article itself (related posts under it are cards, <article>s too, without the h1).
      const article = readerPage.locator('article').filter({ has: readerPage.getByRole('heading', { level: 1 }) });
      await expect(readerPage.getByRole('heading', { level: 1 })).toHaveText(title);
      await expect(article).toContainText('Written while the draft was being made');
      await expect(article.locator('strong', { hasText: 'strong' })).toBeVisible();
      await expect(article.locator('a[href="https://example.org/docs"]')).toHaveText('docs');
      await expect(article.locator('figure figcaption')).toHaveText('Caption of the picked square');
      await expect(article.locator('figure img')).toHaveAttribute('alt', 'A square of one colour');
      await expect(article.getByRole('link', { name: 'Workflow' })).toBeVisible();
      await expect(article.locator('.article-header .byline')).toContainText(`${accounts.author.name} and ${accounts.editor.name}`);
      await expect(article.locator('sup a[data-footnote-ref]')).toHaveAttribute('href', '#user-content-fn-tide');
      await expect(article.locator('.footnotes')).toContainText('Roughly every twelve hours.');
      await expect(article.locator(`a.embed-card[href="${VIDEO}"]`)).toBeVisible();
      await expectNoSidewaysScroll(readerPage);
      await reader.close();

      // Take it down again, so the reader specs' lists stay as they expect.
      await page.reload();
      await openSettings(page);
      await expect(statusBadge(page)).toHaveText('Published');
      const unpublish = page.getByRole('button', { name: 'Unpublish' });
      await unpublish.click();
      await expect(statusBadge(page)).toHaveText('Draft');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
