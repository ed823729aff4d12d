/**
 * Shared by the editor end-to-end specs (tests/e2e/editor-*.spec.ts): the accounts that
 * editor-setup.spec.ts creates, where their signed-in browser state is kept, and small steps
 * every editor spec takes (start a post, type into CodeMirror, wait for the autosave).
 *
 * The editor specs run in the Playwright project `editor`, which depends on `editor-setup`: the
 * setup creates the first admin through /setup (which only works while no account exists, so it
 * must come first), adds the other accounts and signs each one in through the real login form.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Role = 'admin' | 'editor' | 'author' | 'contributor' | 'doomed' | 'throttled';

export type Account = { role: Role; name: string; email: string; password: string; dbRole: 'admin' | 'editor' | 'author' | 'contributor' };

/** Names chosen not to match any imported byline, so the setup never claims an imported author. */
export const accounts: Record<Role, Account> = {
  admin: { role: 'admin', name: 'Ada Setupwright', email: 'ada.admin@e2e.test', password: 'first admin pass phrase', dbRole: 'admin' },
  editor: { role: 'editor', name: 'Edith Deskman', email: 'edith.editor@e2e.test', password: 'editor pass phrase 1', dbRole: 'editor' },
  author: { role: 'author', name: 'Arthur Penhold', email: 'arthur.author@e2e.test', password: 'author pass phrase 1', dbRole: 'author' },
  contributor: {
    role: 'contributor',
    name: 'Connie Tribble',
    email: 'connie.contrib@e2e.test',
    password: 'contributor pass phrase 1',
    dbRole: 'contributor',
  },
  /** An author the admin disables in editor-disabled.spec.ts (nobody else may rely on it). */
  doomed: { role: 'doomed', name: 'Dora Soonoff', email: 'dora.doomed@e2e.test', password: 'doomed pass phrase 1', dbRole: 'author' },
  /** Only ever used with wrong passwords, by editor-signin.spec.ts. */
  throttled: {
    role: 'throttled',
    name: 'Theo Lockout',
    email: 'theo.throttled@e2e.test',
    password: 'throttled pass phrase 1',
    dbRole: 'author',
  },
};

/** The one server the editor specs run against (as playwright.config.ts starts it). */
const serverOrigin = `http://localhost:${process.env.E2E_PORT ?? 3100}`;

/**
 * A cached page the server does not render again by itself after a change (it does the home page
 * and the feeds, lib/server/warm.ts): its first read after the server has heard is a render.
 */
const PROBE_PAGE = '/authors/david-jenkins';

/** How the server answered the probe page: `x-nextjs-cache` (HIT when the page cache served it). */
async function probePageCache(): Promise<string | null> {
  const response = await fetch(`${serverOrigin}${PROBE_PAGE}`);
  await response.arrayBuffer();
  return response.headers.get('x-nextjs-cache');
}

/**
 * After writing to the database behind the server's back: tell the server, as the CLI does
 * (lib/cache/notify.ts), so cached pages are dropped, and wait until it has heard: a page cached
 * before the notification is rendered again after it.
 */
export async function announceToServers(db: pg.Client): Promise<void> {
  await expect.poll(probePageCache, { message: `${PROBE_PAGE} is served from the page cache`, timeout: 10_000, intervals: [50] }).toBe('HIT');
  await db.query(`select pg_notify('broadsheet_changes', '{"all":true}')`);
  await expect.poll(probePageCache, { message: `the server re-renders ${PROBE_PAGE} after the notification`, timeout: 10_000, intervals: [20] }).not.toBe('HIT');
}

/** The signed-in browser state of one role, written by editor-setup.spec.ts. */
export const authFile = (role: Role) => path.resolve(root, process.env.PLAYWRIGHT_OUTPUT_DIR ?? 'test-results', '.auth', `${role}.json`);

/** A short unique word, so each test's posts can be found (and are found nowhere else). */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Direct database access, for creating accounts the UI has no form for and for test hygiene. */
export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('The editor end-to-end tests need DATABASE_URL (the same test database as the server).');
  return withClient(url, fn);
}

/** One connection to `url` for the length of `fn`. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Signs in through the real login form and waits for the editor. */
export async function signIn(page: Page, account: Pick<Account, 'email' | 'password'>): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/editor');
}

const POST_URL = /\/editor\/posts\/([0-9a-f-]{36})$/;

/**
 * "New post" from the posts list opens the editor at once; a keystroke (typed and taken back, so
 * the post stays empty) makes the draft, and the address becomes its own. Returns its id. The
 * settings panel and the split preview are opened too, as the specs that drive the form expect
 * (the editor remembers both for the rest of the test's browser context).
 */
export async function startPost(page: Page): Promise<string> {
  await page.goto('/editor');
  await page.getByRole('main').getByRole('link', { name: 'New post' }).click();
  await page.waitForURL('**/editor/posts/new');
  await expect(page.locator('.cm-content')).toBeVisible();
  const title = page.getByLabel('Title', { exact: true });
  await title.press('x');
  await title.press('Backspace');
  await page.waitForURL(POST_URL);
  await expectSaved(page);
  await openSettings(page);
  await showPreview(page);
  return POST_URL.exec(page.url())![1];
}

/**
 * Presses `toggle` until its `attribute` reads "true". Until the page has hydrated and applied the
 * layout remembered in this browser, a press can be lost or undone, so the state is checked again.
 */
async function switchOn(toggle: Locator, attribute: 'aria-expanded' | 'aria-pressed'): Promise<void> {
  await expect(async () => {
    if ((await toggle.getAttribute(attribute)) !== 'true') await toggle.click();
    await expect(toggle).toHaveAttribute(attribute, 'true', { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
}

/** Opens the post's settings panel (slug, tags, publishing…) if it is shut. */
export async function openSettings(page: Page): Promise<void> {
  await switchOn(page.getByRole('button', { name: 'Settings', exact: true }), 'aria-expanded');
  await expect(page.locator('#post-settings')).toBeVisible();
}

/** Turns the split preview on if it is off. */
export async function showPreview(page: Page): Promise<void> {
  await switchOn(page.getByRole('button', { name: 'Split preview', exact: true }), 'aria-pressed');
  await expect(page.getByTestId('live-preview')).toBeAttached();
}

export const saveState = (page: Page): Locator => page.getByTestId('save-state');

/** Types into the CodeMirror body at the end of the text, as a person would. */
export async function typeBody(page: Page, text: string): Promise<void> {
  const content = page.locator('.cm-content');
  await content.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** The CodeMirror body as text: one `.cm-line` per line (an empty line is just a <br>). */
export async function bodyText(page: Page): Promise<string> {
  return (await page.locator('.cm-content .cm-line').allTextContents()).join('\n');
}

/** Waits for the autosave (or a save) to finish: the indicator reads "Saved". */
export async function expectSaved(page: Page, timeout = 6_000): Promise<void> {
  await expect(saveState(page)).toHaveText('Saved', { timeout });
}

/** The post's status badge in the publishing panel. */
export const statusBadge = (page: Page): Locator => page.getByRole('region', { name: 'Publishing', exact: true }).locator('.status-badge');

/** Server actions are POSTs carrying a `Next-Action` header (the action's id). */
export const isServerAction = (method: string, headers: Record<string, string>) => method === 'POST' && 'next-action' in headers;

/**
 * No cookies, no storage. Inside a test, `browser.newContext()` and `playwright.request.newContext()`
 * inherit the project's `use` options, the signed-in storageState included: pass this for a reader.
 */
export const signedOut = { cookies: [], origins: [] };
