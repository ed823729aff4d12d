/**
 * /metrics and the request log over real HTTP, with the server's own wrapping (lib/observe/http.ts,
 * as scripts/serve.ts installs it) and the database sources against a real PostgreSQL: 404 when
 * METRICS_TOKEN is not set, 401 without the right bearer token, Prometheus text with it; the pools
 * and the job queue's depth read from the database; one log line per request, in the file, with
 * nothing from the query string, the headers or a token address.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { observeRequests } from '@/lib/observe/http';
import { createLogger } from '@/lib/observe/logger';
import { createMetrics, serveMetrics, type Metrics } from '@/lib/observe/metrics';
import { pathOf } from '@/lib/observe/route-kind';
import { databaseSources } from '@/lib/observe/sources';
import { resetDatabase } from '../support/db';

const TOKEN = 'integration-metrics-token-0123456789';
const logFile = join(mkdtempSync(join(tmpdir(), 'metrics-test-')), 'server.log');
let token: string | undefined;
let metrics: Metrics;
let server: Server;
let base = '';

beforeAll(async () => {
  const logger = createLogger({ level: 'info', pretty: false, file: logFile, destination: { write: () => {} } as never });
  metrics = createMetrics({ ...databaseSources, queueDepthMaxAgeMs: 0 });
  server = createServer(
    observeRequests(logger, metrics, (req, res) => {
      const path = pathOf(req.url);
      if (path === '/metrics') return void serveMetrics(req, res, metrics, token);
      if (path === '/x/boom') {
        res.statusCode = 500;
        return void res.end('no');
      }
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Set-Cookie', 'next-auth.session-token=cookie-secret-value-123456; HttpOnly');
      res.end('<p>page</p>');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(async () => {
  await resetDatabase();
  token = TOKEN;
});

const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => fetch(`${base}/metrics`, { headers });

/** One sample's value from Prometheus's text format. */
function value(text: string, sample: string): number | null {
  const line = text.split('\n').find((row) => row.startsWith(`${sample} `));
  return line === undefined ? null : Number(line.slice(sample.length + 1));
}

describe('/metrics', () => {
  it('does not exist without METRICS_TOKEN: 404, whatever the request carries', async () => {
    token = undefined;
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }, { authorization: 'Bearer ' }] as Record<string, string>[]) {
      const response = await scrape(headers);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('broadsheet_');
    }
  });

  it('401 without the bearer token or with a wrong one (no figures), 405 for a POST with it', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
    ] as Record<string, string>[]) {
      const response = await scrape(headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).not.toContain('broadsheet_');
    }
    const post = await fetch(`${base}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(post.status).toBe(405);
  });

  it('answers Prometheus text: requests by route kind and status class, renders, pools, the job queue depth', async () => {
    await getDb().execute(sql`select graphile_worker.add_job('noop', '{}'::json)`);
    await getDb().execute(sql`select graphile_worker.add_job('later', '{}'::json, run_at => now() + interval '1 hour')`);
    for (const path of ['/posts/hello', '/posts/hello', '/tags/news', '/x/boom']) await (await fetch(`${base}${path}`)).text();
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(value(text, 'broadsheet_http_request_duration_seconds_count{kind="article",status="2xx"}')).toBe(2);
    expect(value(text, 'broadsheet_http_request_duration_seconds_count{kind="list",status="2xx"}')).toBe(1);
    expect(value(text, 'broadsheet_http_request_duration_seconds_count{kind="other",status="5xx"}')).toBe(1);
    expect(value(text, 'broadsheet_renders_total{kind="article"}')).toBe(2);
    expect(value(text, 'broadsheet_page_cache_lookups_total{tier="memory"}')).toBe(0);
    // The due job counts; the one an hour away does not.
    expect(value(text, 'broadsheet_job_queue_depth')).toBe(1);
    expect(value(text, 'broadsheet_db_pool_connections{pool="primary",state="total"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });
});

describe('the request log', () => {
  it('one JSON line per request: id, method, path without query or token, status, duration; no header, cookie or query', async () => {
    const secrets = ['query-secret-abcdef', 'cookie-secret-value-123456', 'header-secret-987654', 'invitation-token-secret-42'];
    const response = await fetch(`${base}/posts/hello?token=${secrets[0]}`, {
      headers: { cookie: `next-auth.session-token=${secrets[1]}`, authorization: `Bearer ${secrets[2]}`, 'x-request-id': 'integration-req-1' },
    });
    await response.text();
    expect(response.headers.get('x-request-id')).toBe('integration-req-1');
    await (await fetch(`${base}/invite/${secrets[3]}`)).text();
    await (await fetch(`${base}//reset-password/${secrets[3]}`)).text();
    await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

    const read = () => readFileSync(logFile, 'utf8');
    await expect.poll(() => read().includes('"path":"/metrics"')).toBe(true);
    const text = read();
    for (const secret of [...secrets, TOKEN]) expect(text).not.toContain(secret);
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.reqId === 'integration-req-1')).toMatchObject({
      msg: 'request',
      level: 30,
      method: 'GET',
      path: '/posts/hello',
      status: 200,
      kind: 'article',
      ms: expect.any(Number),
    });
    const paths = lines.map((line) => line.path);
    expect(paths).toContain('/invite/:token');
    expect(paths).toContain('/reset-password/:token');
    expect(lines.find((line) => line.status === 500)?.level).toBe(50);
  });
});
