/**
 * Playwright global setup: empties the test database, then imports the sample content (content/)
 * and the end-to-end fixtures (tests/fixtures/e2e/) through the real import script, so every spec
 * reads the site a reader would see after `npm run content:import`.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FullConfig } from '@playwright/test';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function globalSetup(config: FullConfig): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'End-to-end tests need DATABASE_URL (a migrated test database they may wipe). ' +
        'Run them with `npm run test:e2e`, or set DATABASE_URL to a throwaway database.',
    );
  }

  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(
      'truncate table import_keys, redirects, navigation_items, media_blobs, media, audit_log, login_throttle, password_tokens, post_revisions, slug_redirects, ' +
        'post_tags, posts, series, tags, site_settings, users restart identity cascade',
    );
  } finally {
    await client.end();
  }

  // The import runs in production mode under `npm test`, where SITE_URL is required: give it the
  // same URL the web server is started with.
  const baseURL = config.projects[0]?.use.baseURL ?? `http://localhost:${process.env.E2E_PORT ?? 3100}`;
  const env = { ...process.env, SITE_URL: process.env.SITE_URL || baseURL };
  for (const dir of ['content', 'tests/fixtures/e2e']) {
    try {
      execFileSync('npx', ['tsx', '--conditions=react-server', 'scripts/content-import.ts', dir], {
        cwd: root,
        env,
        stdio: 'inherit',
      });
    } catch (error) {
      throw new Error(`global-setup: importing ${dir}/ failed (${(error as Error).message})`);
    }
  }
}
