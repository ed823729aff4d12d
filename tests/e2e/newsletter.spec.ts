/**
 * "Also send by email": an author ticks it, publishes, and the post's editor page follows the send
 * to "Sent" (the server's own worker sends; with no SMTP_URL every message is an .eml file in the
 * server's OUTBOX_DIR, read back here). Runs in the `editor` project (signed in as the author).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { authFile, expectSaved, startPost, statusBadge, typeBody, unique, withDb } from './editor-helpers';

test.use({ storageState: authFile('author') });

const outbox = path.resolve(process.env.OUTBOX_DIR ?? '.data/outbox');

test('an author sends a post by email once: ticked, published, shown as sent, one message per subscriber', async ({ page }) => {
  test.setTimeout(60_000);
  const word = unique('Letter');
  const title = `Newsletter ${word}`;
  const emails = [`${word.toLowerCase()}-1@e2e.test`, `${word.toLowerCase()}-2@e2e.test`];
  await withDb((db) => db.query(`insert into members (email, name, status, consent_at) select unnest($1::text[]), 'E2E reader', 'subscribed', now()`, [emails]));

  await startPost(page);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await typeBody(page, `Read all about ${word}.`);
  const email = page.getByRole('region', { name: 'Email' });
  const box = email.getByLabel('Also send by email');
  await expect(box).not.toBeChecked();
  await box.check();
  await expectSaved(page);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Email' }).getByLabel('Also send by email')).toBeChecked();

  await page.getByRole('button', { name: 'Publish now' }).click();
  await expect(statusBadge(page)).toHaveText('Published');
  await expect(page.getByTestId('newsletter-state')).toContainText('Sent', { timeout: 20_000 });
  await expect(page.getByTestId('newsletter-counts')).toHaveText(/^(\d+) of \1 sent · 0 failed · 0 pending/);
  await expect(page.getByRole('region', { name: 'Email' }).getByRole('checkbox')).toBeDisabled();

  // The messages, as the server wrote them: one per subscriber, with the title as the subject.
  const mine: string[] = [];
  for (const name of (await readdir(outbox)).filter((file) => file.endsWith('.eml'))) {
    const text = await readFile(path.join(outbox, name), 'utf8');
    if (text.includes(`Subject: ${title}`)) mine.push(text);
  }
  const recipients = mine.map((text) => /^To: (.+)$/m.exec(text)?.[1].trim()).sort();
  expect(recipients).toEqual(emails.map((address) => `E2E reader <${address}>`).sort());
});
