import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_FLAGS } from './scripts/lib/chromium';
import { SERVE_COMMAND } from './scripts/lib/serve-command';
import { serverObserveEnv } from './tests/e2e/observe-env';

/**
 * End-to-end tests in a real Chromium against the production build (`npm test` builds first).
 * CHROMIUM_PATH picks the browser: Debian's /usr/bin/chromium when present, else Playwright's own.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
/** editor-markdown.spec.ts's oEmbed provider, on 127.0.0.1: the server asks it for every embed (OEMBED_ENDPOINT). */
const OEMBED_PORT = Number(process.env.E2E_OEMBED_PORT ?? PORT + 9);
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const outputDir = process.env.PLAYWRIGHT_OUTPUT_DIR ?? 'test-results';
// The server's JSON log, read by observe.spec.ts and checked for secrets by global-teardown.ts. In the
// output folder, which Playwright empties before the server starts; in the environment, so that the
// workers and the teardown (which load this file again) find the same file.
process.env.E2E_SERVER_LOG ??= path.resolve(outputDir, 'server.log');

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  // Fails the run when the server's log holds a password, a cookie, a token or a key (issue 16).
  globalTeardown: './tests/e2e/global-teardown.ts',
  // PLAYWRIGHT_OUTPUT_DIR: two suites running side by side must not share (and wipe) one folder.
  outputDir,
  fullyParallel: false,
  workers: 1,
  // A flaky test is fixed, not retried.
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: CHROMIUM_FLAGS,
    },
  },
  projects: [
    // The reader specs. Listed first: with one worker they run before the editor specs write anything.
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'] },
      testIgnore:
        /(editor-[^/]*|integrations\.spec\.ts|content-api\.spec\.ts|members\.spec\.ts|newsletter\.spec\.ts|import\.spec\.ts|database-down\.spec\.ts|scale-out\.spec\.ts|cold-path\.spec\.ts|first-run\.spec\.ts)$/,
    },
    // First-run setup (/setup works only while no account exists) and one signed-in state per role.
    { name: 'editor-setup', use: { ...devices['Desktop Chrome'] }, testMatch: /editor-setup\.spec\.ts$/ },
    {
      name: 'editor',
      use: { ...devices['Desktop Chrome'] },
      // integrations, content-api, members and newsletter specs too: they sign in as the admin, an editor or an author.
      testMatch: /(editor-(?!setup\.)[^/]*|integrations|content-api|members|newsletter)\.spec\.ts$/,
      dependencies: ['editor-setup'],
    },
    // Imports a WordPress and a Ghost site into the shared database (many posts, new menus and
    // redirects): after every spec that reads or counts what is there.
    { name: 'import', use: { ...devices['Desktop Chrome'] }, testMatch: /import\.spec\.ts$/, dependencies: ['chromium', 'editor'] },
    // Stops and restarts a PostgreSQL and a server of its own (not the ones above): shares nothing.
    { name: 'faults', use: { ...devices['Desktop Chrome'] }, testMatch: /database-down\.spec\.ts$/, dependencies: [] },
    // Two servers, a Redis and a stand-in replica of its own, on the test database (issue 7).
    { name: 'scale-out', testMatch: /scale-out\.spec\.ts$/ },
    // A server of its own on the test database, restarted; renders counted on its /metrics (issue 15).
    { name: 'cold-path', testMatch: /cold-path\.spec\.ts$/ },
    // A fresh copy of the repository, `npm start` with the embedded PostgreSQL, then Ctrl-C (issue 16): shares nothing.
    { name: 'first-run', testMatch: /first-run\.spec\.ts$/ },
  ],
  webServer: {
    command: SERVE_COMMAND,
    url: `${baseURL}/robots.txt`,
    timeout: 60_000,
    reuseExistingServer: false,
    env: {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'production',
      PORT: String(PORT),
      SITE_URL: baseURL,
      // integrations.spec.ts's webhook receiver listens on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // editor-markdown.spec.ts's local oEmbed provider (lib/embeds) stands in for YouTube, Vimeo…: no request leaves the machine.
      OEMBED_ENDPOINT: `http://127.0.0.1:${OEMBED_PORT}/oembed`,
      EMBED_ALLOW_PRIVATE: 'true',
      // observe.spec.ts and global-teardown.ts (tests/e2e/observe-env.ts): /metrics, the JSON log, Content API CORS.
      ...serverObserveEnv(process.env.E2E_SERVER_LOG),
    },
  },
});
