/**
 * One post open in two tabs: the second save starts from an old version, so it must not silently
 * overwrite the first (optimistic locking in lib/posts/mutations.ts, the conflict view in
 * components/editor/conflict-view.tsx). Nothing typed in either tab may be lost.
 */
import { test, expect } from '@playwright/test';
import { authFile, bodyText, expectSaved, saveState, startPost, typeBody, unique } from './editor-helpers';

test.use({ storageState: authFile('author') });

test('two tabs editing one draft: the later save shows a conflict, "Keep mine" wins knowingly, and both versions stay in the revisions', async ({
  page: tabA,
  context,
}) => {
  const word = unique('Twotabs');
  const textA = `Tab A wrote this about ${word}.`;
  const textB = `Tab B wrote something else about ${word}.`;

  // Both tabs open the same, still empty, draft.
  const id = await startPost(tabA);
  const tabB = await context.newPage();
  await tabB.goto(`/editor/posts/${id}`);
  await expect(saveState(tabB)).toHaveText('Saved');

  await tabA.bringToFront();
  await tabA.getByLabel('Title', { exact: true }).fill(`Conflict ${word}`);
  await typeBody(tabA, textA);
  await expectSaved(tabA);

  // Tab B still starts from the version before A's save: its autosave is refused and the writer is asked.
  await tabB.bringToFront();
  await typeBody(tabB, textB);
  const conflict = tabB.getByTestId('conflict');
  await expect(conflict).toBeVisible({ timeout: 6_000 });
  await expect(saveState(tabB)).toHaveText('Conflict');
  await expect(conflict.getByLabel('Their text')).toHaveText(textA);
  await expect(conflict.getByLabel('Your text')).toHaveText(textB);
  await expect(conflict).toContainText(`Conflict ${word}`);
  // The editor still shows B's text while the writer decides.
  expect(await bodyText(tabB)).toBe(textB);

  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await expect(conflict).toHaveCount(0);
  await expectSaved(tabB);

  // The server has B's text now.
  await tabB.reload();
  await expect(tabB.locator('.cm-content')).toHaveText(textB);
  await expect(tabB.getByTestId('recover-banner')).toHaveCount(0);

  // Tab A is now the one behind: its next save is a conflict too, never an overwrite.
  await tabA.bringToFront();
  await typeBody(tabA, ' And a second thought.');
  const conflictA = tabA.getByTestId('conflict');
  await expect(conflictA).toBeVisible({ timeout: 6_000 });
  await expect(conflictA.getByLabel('Their text')).toHaveText(textB);
  await expect(conflictA.getByLabel('Your text')).toHaveText(`${textA} And a second thought.`);
  await conflictA.getByRole('button', { name: 'Take theirs' }).click();
  await expect(conflictA).toHaveCount(0);
  await expect(tabA.locator('.cm-content')).toHaveText(textB);
  await expect(saveState(tabA)).toHaveText('Saved');

  // Nothing was lost: A's saved text is still a revision, and B's save is the current version.
  // (How many versions the new draft took before the tabs met depends on the timing of its first
  // keystrokes, and autosaves a few minutes apart share one revision: the newest autosaved one is A's.)
  await tabA.goto(`/editor/posts/${id}/revisions`);
  const current = Number(/The current version is (\d+)\./.exec((await tabA.getByText(/^The current version is \d+\./).textContent()) ?? '')?.[1]);
  expect(current).toBeGreaterThanOrEqual(3);
  const rows = tabA.getByRole('table').getByRole('row');
  await expect(rows.filter({ has: tabA.getByRole('cell', { name: String(current), exact: true }) })).toContainText('Saved');
  const autosaved = rows.filter({ hasText: 'Autosaved' }).first();
  const previous = Number(await autosaved.getByRole('cell').first().textContent());
  expect(previous).toBeLessThan(current);
  await autosaved.getByRole('link', { name: `Compare version ${previous} with the current one` }).click();
  await expect(tabA.getByRole('heading', { name: new RegExp(`^Version ${previous},`) })).toBeVisible();
  // The diff holds A's line (only in version 2) and B's line (only in the current version).
  const detail = tabA.locator('.revision-detail');
  await expect(detail).toContainText(textA);
  await expect(detail).toContainText(textB);
});
