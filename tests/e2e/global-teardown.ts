/**
 * Playwright global teardown (issue 16): the server's log of the whole run (its JSON lines in
 * LOG_FILE, tests/e2e/observe-env.ts) must hold no secret, and must hold the request lines an
 * operator reads. Runs before Playwright stops the server, so the database is still there to ask
 * for the secrets it keeps in the clear (preview tokens, webhook secrets).
 *
 * Searched for, each by its value: the test accounts' passwords, the signed-in session cookies
 * (tests/e2e/editor-helpers.ts authFile), AUTH_SECRET, METRICS_TOKEN, every post's preview token,
 * every webhook secret, password hashes. By shape: Content API keys (`bsk_…`), webhook secrets
 * (`whsec_…`), a token address (`/invite/…`, `/reset-password/…`, `/preview/…`) that is not
 * `:token`, a query string, an unredacted cookie or authorization header, a bearer token.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { accounts, authFile } from './editor-helpers';
import { METRICS_TOKEN, serverLogFile } from './observe-env';

type Finding = { what: string; line: number; excerpt: string };

/** The secrets the run used, by value (at least 8 characters: shorter values match by chance). */
async function knownSecrets(): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  const add = (what: string, value: string | null | undefined) => {
    if (value && value.length >= 8) secrets.set(value, what);
  };
  for (const account of Object.values(accounts)) add(`the password of ${account.email}`, account.password);
  add('AUTH_SECRET', process.env.AUTH_SECRET);
  add('METRICS_TOKEN', METRICS_TOKEN);

  const authDir = path.dirname(authFile('admin'));
  if (existsSync(authDir)) {
    for (const file of readdirSync(authDir).filter((name) => name.endsWith('.json'))) {
      const state = JSON.parse(readFileSync(path.join(authDir, file), 'utf8')) as { cookies?: { name: string; value: string }[] };
      for (const cookie of state.cookies ?? []) if (/session-token|csrf-token/.test(cookie.name)) add(`the cookie ${cookie.name} of ${file}`, cookie.value);
    }
  }

  const url = process.env.DATABASE_URL;
  if (url) {
    const db = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    await db.connect();
    try {
      const rows = await db.query<{ what: string; value: string }>(`
        select 'a preview token' as what, preview_token as value from posts where preview_token is not null
        union all select 'a webhook secret', secret from webhooks
        union all select 'a password hash', password_hash from users where password_hash is not null`);
      for (const row of rows.rows) add(row.what, row.value);
    } finally {
      await db.end();
    }
  }
  return secrets;
}

/** Secrets by shape, for those the run made and kept nowhere (API keys, invitation and reset links). */
const SHAPES: [string, RegExp][] = [
  ['a Content API key', /bsk_[A-Za-z0-9_-]{16,}/],
  ['a webhook secret', /whsec_[A-Za-z0-9_-]{8,}/],
  ['a token address', /\/(invite|reset-password|preview)\/(?!:token\b)[^/"\s?]{8,}/],
  ['a query string', /"path":"[^"]*\?/],
  ['a token parameter', /[?&](token|key|s|code|secret)=[^&"\s]{8,}/],
  ['a cookie header', /"(cookie|set-cookie)":\s*"(?!\[redacted\])/i],
  ['an authorization header', /"authorization":\s*"(?!\[redacted\])/i],
  ['a bearer token', /Bearer\s+[A-Za-z0-9._~+/-]{8,}/],
  ['a session cookie', /next-auth\.session-token=[^;"\s]+/],
];

export default async function globalTeardown(): Promise<void> {
  const file = serverLogFile();
  if (!existsSync(file)) throw new Error(`global-teardown: the server wrote no log at ${file} (LOG_FILE)`);
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const secrets = await knownSecrets();

  const findings: Finding[] = [];
  lines.forEach((text, index) => {
    const excerpt = (at: number) => text.slice(Math.max(0, at - 60), at + 60);
    for (const [value, what] of secrets) {
      const at = text.indexOf(value);
      if (at >= 0) findings.push({ what, line: index + 1, excerpt: excerpt(at).replace(value, '<SECRET>') });
    }
    for (const [what, shape] of SHAPES) {
      const match = shape.exec(text);
      if (match) findings.push({ what, line: index + 1, excerpt: excerpt(match.index) });
    }
  });
  if (findings.length > 0) {
    const shown = findings.slice(0, 20).map((f) => `  line ${f.line}: ${f.what}: …${f.excerpt}…`);
    throw new Error(`global-teardown: the server's log (${file}) holds ${findings.length} secret(s):\n${shown.join('\n')}`);
  }

  // The lines an operator reads: one per request, with its id, method, path, status, duration and cache outcome.
  const parsed = lines.map((text, index) => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error(`global-teardown: line ${index + 1} of ${file} is not JSON: ${text.slice(0, 120)}`);
    }
  });
  const requests = parsed.filter((line) => line.msg === 'request');
  // A run of only the projects with servers of their own (first-run, faults) sends the shared server nothing.
  if (requests.length === 0) {
    console.log(`global-teardown: ${lines.length} log lines, no requests to the shared server, no secret found`);
    return;
  }
  const malformed = requests.find(
    (line) =>
      typeof line.reqId !== 'string' ||
      typeof line.method !== 'string' ||
      typeof line.path !== 'string' ||
      !String(line.path).startsWith('/') ||
      typeof line.status !== 'number' ||
      typeof line.ms !== 'number' ||
      typeof line.kind !== 'string' ||
      !(line.cache === undefined || ['hit', 'miss', 'replay', 'collapsed'].includes(String(line.cache))),
  );
  if (malformed) throw new Error(`global-teardown: a request line lacks reqId, method, path, status, ms or kind: ${JSON.stringify(malformed)}`);
  const readerPages = requests.filter((line) => line.method === 'GET' && (line.kind === 'article' || line.kind === 'list') && line.status === 200);
  if (readerPages.length > 0 && !readerPages.some((line) => line.cache !== undefined))
    throw new Error('global-teardown: no request line tells a cache outcome (hit, miss, replay)');
  console.log(`global-teardown: ${lines.length} log lines (${requests.length} requests) in ${file}, no secret found`);
}
