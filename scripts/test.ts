/**
 * `npm test`: the whole suite on a fresh machine. It uses the PostgreSQL server that DATABASE_URL
 * names (or the embedded one), in a database of its own (`<name>_test`, recreated each run, so your
 * data is never touched): lint (ESLint, then Prettier's check), unit tests, integration tests, a production
 * build, then end-to-end tests in Chromium against that build. Pass `lint`, `unit`, `integration` or `e2e` to run only those.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { EnvError } from '../lib/env';
import { ensureDatabase, ensureDatabaseExists } from './lib/database';
import { markBuilt } from './lib/build-state';
import { migrateDatabase } from './lib/migrate';
import { run } from './lib/run';

/**
 * A browser for the end-to-end stage: CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's
 * own (downloaded now if missing). Fails with the instructions when none can be had.
 */
async function ensureBrowser(): Promise<void> {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', chromium.executablePath()];
  if (candidates.some((path) => path && existsSync(path))) return;
  console.log('[test] no Chromium found: trying `npx playwright install chromium`');
  if ((await run('npx', ['playwright', 'install', 'chromium'])) === 0) return;
  throw new Error('no Chromium for the end-to-end tests: install one (Debian: apt-get install chromium) or set CHROMIUM_PATH');
}

const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const wants = (stage: string) => only.length === 0 || only.includes(stage);

const server = await ensureDatabase();
const baseName = new URL(server.url).pathname.slice(1) || 'broadsheet';
// TEST_DATABASE_NAME lets two suites run side by side on one server.
const testDb = process.env.TEST_DATABASE_NAME || `${baseName}_test`;
let failed: string | null = null;
try {
  await ensureDatabaseExists(server, testDb, { fresh: true });
  const url = server.urlFor(testDb);
  await migrateDatabase(url);
  const env = {
    ...process.env,
    DATABASE_URL: url,
    NEXT_TELEMETRY_DISABLED: '1',
    SITE_URL: `http://localhost:${process.env.E2E_PORT ?? 3100}`,
    AUTH_SECRET: process.env.AUTH_SECRET || 'test-secret-test-secret-test-secret-0123',
  };
  const stages: [string, string, string[], NodeJS.ProcessEnv][] = [
    ['lint', 'npx', ['eslint', '--max-warnings', '0', '.'], env],
    ['lint', 'npx', ['prettier', '--check', '.'], env],
    ['unit', 'npx', ['vitest', 'run', '--project', 'unit'], { ...env, NODE_ENV: 'test' }],
    ['integration', 'npx', ['vitest', 'run', '--project', 'integration'], { ...env, NODE_ENV: 'test' }],
    ['build', 'npm', ['run', 'build'], { ...env, NODE_ENV: 'production' }],
    ['e2e', 'npx', ['playwright', 'test'], { ...env, NODE_ENV: 'production' }],
  ];
  for (const [name, command, args, stageEnv] of stages) {
    if (!wants(name === 'build' ? 'e2e' : name)) continue;
    if (name === 'build') await ensureBrowser();
    console.log(`\n=== ${name} ===`);
    const code = await run(command, args, { env: stageEnv });
    if (code !== 0) {
      failed = name;
      break;
    }
    if (name === 'build') markBuilt();
  }
} catch (error) {
  failed = error instanceof EnvError ? error.message : String(error);
} finally {
  await server.release();
}
if (failed) {
  console.error(`\nnpm test failed at: ${failed}`);
  process.exit(1);
}
console.log('\nAll test stages passed.');
