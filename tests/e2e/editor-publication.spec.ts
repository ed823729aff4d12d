/**
 * Publication features end to end (issue 18): an editor features a post, gives it two co-authors
 * and puts it in a series; readers without JavaScript then see the home page lead with it, both
 * co-authors' pages list it, and the article shows its series and related posts. Pages cached
 * before the publish (the series' first part, a co-author's page) show it at once afterwards.
 */
import { test, expect, type Page } from '@playwright/test';
import { accounts, authFile, expectSaved, signedOut, startPost, statusBadge, typeBody, unique, withDb } from './editor-helpers';

test.use({ storageState: authFile('editor') });

type Person = { id: string; name: string; slug: string };

async function person(email: string): Promise<Person> {
  return withDb(async (db) => (await db.query<Person>(`select id, name, slug from users where email = $1`, [email])).rows[0]);
}

/** Headings of the cards on a page, in order. */
const cardTitles = (page: Page, scope: string) => page.locator(`${scope} .card-title`).allTextContents();

test('an editor features a post with two co-authors in a series; readers see it everywhere, without JavaScript', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const word = unique('Pub');
  const seriesName = `Seasons ${word}`;
  const tag = `Soil ${word}`;
  const firstTitle = `Part one ${word}`;
  const title = `Part two ${word}`;
  const [editor, author, contributor] = await Promise.all([person(accounts.editor.email), person(accounts.author.email), person(accounts.contributor.email)]);

  // The series' first part, published yesterday by the author, sharing the tag: already in the series.
  const firstSlug = `part-one-${word.toLowerCase()}`;
  await withDb(async (db) => {
    const seriesId = (await db.query<{ id: string }>(`insert into series (name, slug) values ($1, $2) returning id`, [seriesName, `seasons-${word.toLowerCase()}`]))
      .rows[0].id;
    const postId = (
      await db.query<{ id: string }>(
        `insert into posts (slug, title, author_id, status, publish_at, first_published_at, markdown, html, series_id)
         values ($1, $2, $3, 'published', now() - interval '1 day', now() - interval '1 day', 'The first part.', '<p>The first part.</p>', $4) returning id`,
        [firstSlug, firstTitle, author.id, seriesId],
      )
    ).rows[0].id;
    const tagId = (await db.query<{ id: string }>(`insert into tags (name, slug) values ($1, $2) returning id`, [tag, `soil-${word.toLowerCase()}`])).rows[0].id;
    await db.query(`insert into post_tags (post_id, tag_id, position) values ($1, $2, 0)`, [postId, tagId]);
    await db.query(`select pg_notify('broadsheet_changes', '{"all":true}')`);
  });

  const reader = await browser.newContext({ storageState: signedOut, javaScriptEnabled: false });
  const readerPage = await reader.newPage();
  // Cached before the publish: the first part (its series list has one entry) and the contributor's page.
  await readerPage.goto(`/posts/${firstSlug}`);
  await expect(readerPage.getByRole('navigation', { name: seriesName })).toContainText(firstTitle);
  await expect(readerPage.locator('.series-list li')).toHaveCount(1);
  const contributorBefore = await readerPage.goto(`/authors/${contributor.slug}`);
  const contributorListed = contributorBefore?.status() === 200 ? await cardTitles(readerPage, 'main') : [];
  expect(contributorListed).not.toContain(title);

  // The editor writes and publishes it.
  await startPost(page);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await typeBody(page, `Written by three people: ${word}.`);
  await page.locator('#post-tags').fill(tag);
  await page.getByLabel('Featured: lead the home page with this post').check();
  const authorsList = page.getByRole('list', { name: 'Authors in byline order' });
  await expect(authorsList.locator('.author-name')).toHaveText([`${editor.name} (primary)`]);
  await page.getByLabel('Add an author').selectOption({ label: author.name });
  await page.getByRole('button', { name: 'Add author' }).click();
  await page.getByLabel('Add an author').selectOption({ label: contributor.name });
  await page.getByRole('button', { name: 'Add author' }).click();
  await expect(authorsList.locator('.author-name')).toHaveText([`${editor.name} (primary)`, author.name, contributor.name]);
  // Reordered: the contributor before the author.
  await page.getByRole('button', { name: `Move ${contributor.name} up` }).click();
  await expect(authorsList.locator('.author-name')).toHaveText([`${editor.name} (primary)`, contributor.name, author.name]);
  await page.getByLabel('Series').selectOption({ label: seriesName });
  await expectSaved(page);
  await page.getByRole('button', { name: 'Publish now', exact: true }).click();
  await expect(statusBadge(page)).toHaveText('Published');
  const slug = await page.getByLabel('Slug').inputValue();

  // The home page leads with it: the first featured card, with its whole byline.
  await readerPage.goto('/');
  const lead = readerPage.locator('.featured .card-featured').first();
  await expect(lead.locator('.card-title')).toHaveText(title);
  await expect(lead.locator('.byline')).toContainText(`${editor.name}, ${contributor.name} and ${author.name}`);
  expect(await cardTitles(readerPage, '.post-list')).not.toContain(title);
  // Still one h1, headings in order (h1, then the sections' h2 and their cards' h3), ids unique.
  const levels = await readerPage.locator('main :is(h1, h2, h3)').evaluateAll((els) => els.map((el) => Number(el.tagName.slice(1))));
  expect(levels.filter((level) => level === 1)).toHaveLength(1);
  expect(levels.every((level, index) => index === 0 || level <= levels[index - 1] + 1)).toBe(true);
  const ids = await readerPage.locator('[id]').evaluateAll((els) => els.map((el) => el.id));
  expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);

  // Every author's page lists it (the contributor's was cached before, without it).
  for (const who of [editor, author, contributor]) {
    const response = await readerPage.goto(`/authors/${who.slug}`);
    expect(response?.status()).toBe(200);
    expect(await cardTitles(readerPage, 'main')).toContain(title);
  }

  // The article: byline, series list with this part marked, previous link, related posts.
  await readerPage.goto(`/posts/${slug}`);
  await expect(readerPage.locator('.article-header .byline')).toContainText(`By ${editor.name}, ${contributor.name} and ${author.name}`);
  await expect(readerPage.locator('.series-intro')).toHaveText(`Part 2 of 2 in the series ${seriesName}`);
  const series = readerPage.getByRole('navigation', { name: seriesName });
  await expect(series.locator('.series-list li')).toHaveText([firstTitle, `${title} (this article)`]);
  await expect(series.locator('[aria-current="page"]')).toHaveText(title);
  await expect(series.getByRole('link', { name: `← Previous: ${firstTitle}` })).toHaveAttribute('href', `/posts/${firstSlug}`);
  const related = readerPage.getByRole('region', { name: 'Related posts' });
  await expect(related.locator('.card-title')).toContainText([firstTitle]);
  const jsonLd = JSON.parse((await readerPage.locator('script[type="application/ld+json"]').textContent())!) as { author: { name: string }[] };
  expect(jsonLd.author.map((one) => one.name)).toEqual([editor.name, contributor.name, author.name]);
  // No script but the JSON-LD on a reader page.
  expect(await readerPage.locator('script:not([type="application/ld+json"])').count()).toBe(0);

  // The first part, cached before, now lists both parts and links to the next.
  await readerPage.goto(`/posts/${firstSlug}`);
  await expect(readerPage.locator('.series-list li')).toHaveText([`${firstTitle} (this article)`, title]);
  await expect(readerPage.getByRole('link', { name: `Next: ${title} →` })).toHaveAttribute('href', `/posts/${slug}`);
  await reader.close();

  // Hygiene: the home page's lead belongs to this test only while it runs.
  await withDb(async (db) => {
    await db.query(`update posts set featured = false where slug = $1`, [slug]);
    await db.query(`select pg_notify('broadsheet_changes', '{"all":true}')`);
  });
});

test('an author is not offered the featured box, and their own first place in the byline is fixed', async ({ browser }) => {
  const context = await browser.newContext({ storageState: authFile('author') });
  const page = await context.newPage();
  await startPost(page);
  await page.getByLabel('Title', { exact: true }).fill(unique('Not featured '));
  await expect(page.getByRole('list', { name: 'Authors in byline order' })).toBeVisible();
  await expect(page.getByLabel('Featured: lead the home page with this post')).toHaveCount(0);
  // The first place is the author's own: it cannot be moved or removed.
  await expect(page.getByRole('button', { name: `Remove ${accounts.author.name}` })).toBeDisabled();
  await expectSaved(page);
  await context.close();
});
