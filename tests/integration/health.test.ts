/**
 * /healthz and /readyz (lib/server/health.ts) on a real HTTP server against the real test database.
 * The LISTEN connection and Redis are this process's state, given as the flags scripts/serve.ts
 * passes (listener.connected, redis.connected); tests/e2e/database-down.spec.ts checks the whole
 * server when its database stops.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHealth, pendingMigrations, readJournal, type Health } from '@/lib/server/health';

const databaseUrl = process.env.DATABASE_URL!;
const journalFile = path.resolve(import.meta.dirname, '../../db/migrations/meta/_journal.json');
const scratch = mkdtempSync(path.join(tmpdir(), 'broadsheet-health-'));

let server: Server | null = null;
let health: Health | null = null;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await health?.close();
  server = null;
  health = null;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type State = { databaseUrl?: string; journalFile?: string; listening?: boolean; redis?: boolean | null };

/** A server answering both paths the way scripts/serve.ts does; returns its base URL. */
async function serve(state: State = {}): Promise<string> {
  const current = { listening: true, redis: null as boolean | null, ...state };
  health = createHealth({
    databaseUrl: state.databaseUrl ?? databaseUrl,
    journalFile: state.journalFile ?? journalFile,
    listening: () => current.listening,
    redis: current.redis === null ? null : () => current.redis === true,
    timeoutMs: 1_000,
  });
  const own = health;
  server = createServer((req, res) => void own.serve(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function expectNoStoreJson(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  // No connection strings, hosts' passwords or error messages.
  expect(text).not.toMatch(/postgres(ql)?:\/\/|password|ECONNREFUSED|127\.0\.0\.1/i);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('GET /healthz', () => {
  it('answers 200 {status:"ok"} while the process runs, even with the database unreachable', async () => {
    const base = await serve({ databaseUrl: 'postgres://nobody:secret-password@127.0.0.1:1/nothing' });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await expectNoStoreJson(response)).toEqual({ status: 'ok' });
  });

  it('refuses other methods with 405 and Allow', async () => {
    const base = await serve();
    const response = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('GET /readyz', () => {
  it('is 200 when the database answers, every migration is applied and the LISTEN connection is up', async () => {
    const base = await serve();
    const response = await fetch(`${base}/readyz?probe=1`);
    expect(response.status).toBe(200);
    expect(await expectNoStoreJson(response)).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', listener: 'ok', redis: 'not configured' },
    });
  });

  it('is 503 naming the database when it cannot be reached, and never shows the URL or its password', async () => {
    const base = await serve({ databaseUrl: 'postgres://broadsheet:secret-password@127.0.0.1:1/broadsheet' });
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    const body = await expectNoStoreJson(response);
    expect(body.status).toBe('not ready');
    expect(body.failed).toEqual(['database', 'migrations']);
    expect((body.checks as Record<string, string>).database).toBe('unreachable');
  });

  it('is 503 naming the migrations when the journal has one the database lacks', async () => {
    const journal = readJournal(journalFile);
    const newer = {
      ...journal,
      entries: [...journal.entries, { idx: journal.entries.length, version: '7', when: Date.now() + 86_400_000, tag: '9999_not-yet', breakpoints: true }],
    };
    const file = path.join(scratch, '_journal.json');
    writeFileSync(file, JSON.stringify(newer));
    const base = await serve({ journalFile: file });
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    const body = await expectNoStoreJson(response);
    expect(body.failed).toEqual(['migrations']);
    expect((body.checks as Record<string, string>).migrations).toBe(`1 of ${newer.entries.length} not applied`);
  });

  it('is 503 naming the listener while the LISTEN connection is down, and Redis when configured but away', async () => {
    let base = await serve({ listening: false });
    let body = await expectNoStoreJson(await fetch(`${base}/readyz`));
    expect(body.failed).toEqual(['listener']);
    await new Promise((resolve) => server!.close(resolve));
    await health!.close();
    base = await serve({ redis: false });
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    body = await expectNoStoreJson(response);
    expect(body.failed).toEqual(['redis']);
  });

  it('counts what drizzle would apply: entries later than the newest applied migration', () => {
    const journal = {
      entries: [
        { tag: 'a', when: 10 },
        { tag: 'b', when: 20 },
        { tag: 'c', when: 30 },
      ],
    };
    expect(pendingMigrations(journal, null)).toBe(3);
    expect(pendingMigrations(journal, 20)).toBe(1);
    expect(pendingMigrations(journal, 30)).toBe(0);
    expect(JSON.parse(readFileSync(journalFile, 'utf8')).entries.length).toBeGreaterThan(0);
  });
});
