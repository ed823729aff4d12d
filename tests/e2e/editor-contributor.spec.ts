/**
 * A contributor writes and submits, but cannot publish: not from the UI (no button) and not by
 * calling the publish server action directly (lib/posts/policy.ts, enforced in lib/posts/mutations.ts).
 *
 * How the direct call is made (server actions have no stable public URL):
 *  - Server actions are POSTs to the page's URL with a `Next-Action: <action id>` header and the
 *    arguments as a JSON array in the body (React's encodeReply; plain objects encode as JSON).
 *  - The ids of publishPostAction and schedulePostAction are learnt from an author, who may use
 *    them: in the author's browser we intercept the requests that "Publish now" and "Schedule" send,
 *    record their `next-action` header and abort them (so the author's draft stays a draft). Action
 *    ids belong to the build, not to a user.
 *  - The body format and the id of savePostAction come from the contributor's own autosave.
 *  - As a control that the replayed request is well-formed, the contributor first replays the
 *    SAVE action (which they may do) with new text: it must succeed. Then the same request with
 *    the publish id must not publish.
 *  - The replays are sent with `fetch` from inside the contributor's page: same origin, the
 *    contributor's session cookie, exactly as the browser would send them.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { authFile, expectSaved, isServerAction, signedOut, startPost, statusBadge, typeBody, unique } from './editor-helpers';

test.use({ storageState: authFile('contributor') });

type Captured = { action: string; body: string };

/** Calls a server action from inside the page, as the browser's own code would. */
async function callAction(page: Page, url: string, action: string, args: unknown): Promise<{ status: number; text: string }> {
  return page.evaluate(
    async ({ url, action, body }) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Next-Action': action, Accept: 'text/x-component', 'Content-Type': 'text/plain;charset=UTF-8' },
        body,
      });
      return { status: response.status, text: await response.text() };
    },
    { url, action, body: JSON.stringify([args]) },
  );
}

async function currentVersion(page: Page, id: string): Promise<number> {
  await page.goto(`/editor/posts/${id}/revisions`);
  const hint = await page.getByText(/^The current version is \d+\./).textContent();
  return Number(/version is (\d+)/.exec(hint ?? '')![1]);
}

/**
 * The ids of publishPostAction and schedulePostAction, from an author's clicks on "Publish now" and
 * "Schedule" (both requests aborted before they reach the server: the author's draft stays a draft).
 */
async function transitionActionIds(browser: Browser): Promise<{ publish: string; schedule: string }> {
  const context = await browser.newContext({ storageState: authFile('author') });
  const page = await context.newPage();
  try {
    await startPost(page);
    await page.getByLabel('Title', { exact: true }).fill(unique('Donor'));
    await expectSaved(page);
    await expect(page.getByTestId('word-count')).toHaveText('0 words'); // the preview has settled
    const sent: Captured[] = [];
    await page.route('**/*', (route) => {
      const request = route.request();
      if (!isServerAction(request.method(), request.headers())) return route.fallback();
      sent.push({ action: request.headers()['next-action'], body: request.postData() ?? '' });
      return route.abort();
    });
    const transitions = () => sent.filter((s) => s.body.includes('"baseVersion"'));
    await page.getByRole('button', { name: 'Publish now' }).click();
    await expect.poll(() => transitions().length).toBe(1);
    await page.getByLabel('Publish at').fill('2099-01-01T12:00');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await expect.poll(() => transitions().length).toBe(2);
    await expect(statusBadge(page)).toHaveText('Draft');
    const [publish, schedule] = transitions();
    expect(publish.body).not.toContain('"publishAt"');
    expect(schedule.body).toContain('"publishAt"');
    expect(publish.action).not.toBe(schedule.action);
    return { publish: publish.action, schedule: schedule.action };
  } finally {
    await context.close();
  }
}

test('a contributor gets "Submit for review" but no way to publish, even by calling the action directly', async ({ page, browser, playwright }) => {
  const { publish: publishId, schedule: scheduleId } = await transitionActionIds(browser);

  const word = unique('Contrib');
  const id = await startPost(page);
  const url = `/editor/posts/${id}`;
  const saves: Captured[] = [];
  page.on('request', (request) => {
    if (isServerAction(request.method(), request.headers()) && request.postData()?.includes('"autosave":true')) {
      saves.push({ action: request.headers()['next-action'], body: request.postData()! });
    }
  });
  await page.getByLabel('Title', { exact: true }).fill(`Contributed ${word}`);
  await typeBody(page, `A contributor's draft about ${word}.`);
  await expectSaved(page);
  const slug = await page.getByLabel('Slug').inputValue();

  // The panel offers only what a contributor may do.
  const panel = page.getByRole('region', { name: 'Publishing', exact: true });
  await expect(statusBadge(page)).toHaveText('Draft');
  await expect(panel.getByRole('button', { name: 'Submit for review' })).toBeVisible();
  await expect(panel.getByRole('button', { name: /Publish/ })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Schedule' })).toHaveCount(0);
  await expect(panel.getByLabel('Publish at')).toHaveCount(0);

  expect(saves.length, 'the autosave was seen').toBeGreaterThan(0);
  const save = saves.at(-1)!;
  expect(save.action).not.toBe(publishId);
  const [input] = JSON.parse(save.body) as [{ id: string; fields: Record<string, unknown> }];
  expect(input.id).toBe(id);

  // Control: the replayed SAVE works, so the request format is right.
  let version = await currentVersion(page, id);
  const control = await callAction(page, url, save.action, {
    id,
    baseVersion: version,
    fields: { ...input.fields, markdown: `Replayed save about ${word}.` },
    autosave: false,
  });
  expect(control.status).toBe(200);
  expect(control.text).toContain('"ok":true');
  expect(await currentVersion(page, id)).toBe(version + 1);
  version += 1;

  // The publish action with the contributor's session: refused, nothing changes.
  const publish = await callAction(page, url, publishId, { id, baseVersion: version, fields: { ...input.fields, markdown: `Replayed save about ${word}.` } });
  expect(publish.text).not.toContain('"ok":true');
  expect(publish.text).toContain('You are not allowed to publish this post.');
  expect(publish.status, 'a refused action answers 403').toBe(403);
  // Nor can it be scheduled that way.
  const schedule = await callAction(page, url, scheduleId, {
    id,
    baseVersion: version,
    fields: { ...input.fields, markdown: `Replayed save about ${word}.` },
    publishAt: new Date(Date.now() + 60 * 60_000).toISOString(),
  });
  expect(schedule.text).not.toContain('"ok":true');
  expect(schedule.text).toContain('You are not allowed to schedule this post.');
  expect(await currentVersion(page, id)).toBe(version);

  const reader = await playwright.request.newContext({ storageState: signedOut });
  expect((await reader.get(`/posts/${slug}`)).status()).toBe(404);
  expect(await (await reader.get('/feed.xml')).text()).not.toContain(word);
  await reader.dispose();

  await page.goto(url);
  await expect(statusBadge(page)).toHaveText('Draft');
  await expect(page.locator('.cm-content')).toHaveText(`Replayed save about ${word}.`);

  // What the contributor can do: hand it to an editor.
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(statusBadge(page)).toHaveText('In review');
  await expect(page.getByText('Waiting for an editor to publish it.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Submit for review' })).toHaveCount(0);
  await page.reload();
  await expect(statusBadge(page)).toHaveText('In review');

  // In review is still not public, and the replayed publish is refused there too.
  version = await currentVersion(page, id);
  const again = await callAction(page, url, publishId, { id, baseVersion: version, fields: { ...input.fields, markdown: `Replayed save about ${word}.` } });
  expect(again.text).toContain('You are not allowed to publish this post.');
  const check = await playwright.request.newContext({ storageState: signedOut });
  expect((await check.get(`/posts/${slug}`)).status()).toBe(404);
  await check.dispose();
});
