/**
 * Webhooks (admins only): an admin adds an endpoint pointing at a receiver this spec runs on
 * 127.0.0.1 (the e2e server runs with WEBHOOK_ALLOW_PRIVATE=true), publishes a post, and the server's
 * own job worker delivers post.published, signed with the secret the page shows; the delivery log
 * shows it, Redeliver sends it again, and Delete removes the endpoint. An editor finds no such page.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { authFile, expectSaved, startPost, statusBadge, typeBody, unique, withDb } from './editor-helpers';

type Received = { headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
let receiver: Server;
let endpoint = '';

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end('received by the e2e receiver');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/${unique('e2e-')}`;
});

test.afterAll(async () => {
  await withDb((db) => db.query('delete from webhooks where url = $1', [endpoint]));
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

test.describe('as the admin', () => {
  test.use({ storageState: authFile('admin') });

  test('adds an endpoint, publishes a post, sees the signed delivery in the log, redelivers, deletes', async ({ page }) => {
    await page.goto('/editor');
    await page.getByRole('navigation', { name: 'Editor' }).getByRole('link', { name: 'Integrations' }).click();
    await expect(page.getByRole('heading', { name: 'Integrations', level: 1 })).toBeVisible();

    await page.getByLabel('URL').fill(endpoint);
    await page.getByLabel('post.published').check();
    await page.getByLabel('Description').fill('The e2e receiver');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Added ${endpoint}` })).toBeVisible();
    const section = page.getByRole('region', { name: `Endpoint ${endpoint}` });
    await expect(section).toContainText('The e2e receiver');
    await section.getByText('Signing secret').click();
    const secret = (await section.locator('.webhook-secret').textContent())!;
    expect(secret).toMatch(/^whsec_/);

    // Publish a post: the server's worker sends post.published at once.
    const title = `Hooked ${unique('')}`;
    await startPost(page);
    await page.getByLabel('Title', { exact: true }).fill(title);
    await typeBody(page, 'A post that a webhook announces.');
    await expectSaved(page);
    await page.getByRole('button', { name: 'Publish now', exact: true }).click();
    await expect(statusBadge(page)).toHaveText('Published');
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    const [first] = received;
    expect(first.headers['x-broadsheet-event']).toBe('post.published');
    expect(JSON.parse(first.body)).toMatchObject({ event: 'post.published', data: { post: { title } } });
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(first.headers['x-broadsheet-signature']))!;
    expect(createHmac('sha256', secret).update(`${t}.${first.body}`).digest('hex')).toBe(v1);

    // The log shows it, then Redeliver sends the same delivery again.
    await page.goto('/editor/integrations');
    const row = section.getByRole('row').filter({ hasText: 'post.published' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Delivered');
    await expect(row).toContainText('200');
    await expect(row).toContainText('received by the e2e receiver');
    await row.getByRole('button', { name: 'Redeliver' }).click();
    await expect(section.getByRole('status').filter({ hasText: 'Sending post.published again.' })).toBeVisible();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2);
    expect(received[1].headers['x-broadsheet-delivery']).toBe(first.headers['x-broadsheet-delivery']);
    await expect
      .poll(async () => {
        await page.reload();
        return (await section.getByRole('row').filter({ hasText: 'post.published' }).locator('td').nth(3).textContent())?.trim();
      })
      .toBe('2');

    page.once('dialog', (dialog) => void dialog.accept());
    await section.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('region', { name: `Endpoint ${endpoint}` })).toHaveCount(0);
  });
});

test.describe('as an editor', () => {
  test.use({ storageState: authFile('editor') });

  test('the page does not exist', async ({ page }) => {
    expect((await page.goto('/editor/integrations'))?.status()).toBe(404);
  });
});
