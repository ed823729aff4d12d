/**
 * The HTTP side of tests/e2e/mutations-http.spec.ts: what the production build says exists (server
 * actions from its manifest, mutating route handlers from the file tree), calling a server action
 * exactly as the browser does, signing in through next-auth's endpoints, and a snapshot of every
 * table so a refusal can be shown to have changed nothing.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request as playwrightRequest, type APIRequestContext, type APIResponse } from '@playwright/test';
import pg from 'pg';

const load = createRequire(import.meta.url);

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ---------------------------------------------------------------------------------------------
// What exists

export type BuiltAction = { id: string; file: string; name: string; pages: string[] };

/** Every server action of the production build under test (NEXT_DIST_DIR, as next.config.js reads it). */
export function builtActions(): BuiltAction[] {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const file = path.join(root, distDir, 'server', 'server-reference-manifest.json');
  if (!existsSync(file)) throw new Error(`No ${file}: the end-to-end tests run against a production build (npm run test:e2e builds one).`);
  type Entry = { filename: string; exportedName: string; workers: Record<string, unknown> };
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<'node' | 'edge', Record<string, Entry>>;
  return (['node', 'edge'] as const).flatMap((runtime) =>
    Object.entries(manifest[runtime] ?? {}).map(([id, entry]) => ({
      id,
      file: entry.filename,
      name: entry.exportedName,
      pages: Object.keys(entry.workers),
    })),
  );
}

export const MUTATING_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Every `app/**\/route.(ts|js)` and the mutating methods it exports (`export async function POST`,
 * `export const POST =`, `export { handler as POST }`), as `file#METHOD`.
 */
export function mutatingRouteHandlers(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/^route\.(t|j)sx?$/.test(entry.name)) {
        const source = readFileSync(path.join(root, rel), 'utf8');
        for (const method of MUTATING_METHODS) {
          const exported = new RegExp(
            `export\\s+(async\\s+)?function\\s+${method}\\b|export\\s+(const|let|var)\\s+${method}\\b|export\\s*\\{[^}]*\\b${method}\\b[^}]*\\}`,
          );
          if (exported.test(source)) found.push(`${rel}#${method}`);
        }
      }
    }
  };
  walk('app');
  return found.sort();
}

/** `app/(auth)/invite/[token]/page` → a pattern for the URL paths that page answers. */
export function pagePattern(page: string): RegExp {
  const segments = page
    .replace(/^app/, '')
    .replace(/\/page$/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  const body = segments
    .map((s) => (/^\[\[\.\.\..+\]\]$/.test(s) ? '(?:/.*)?' : /^\[\.\.\..+\]$/.test(s) ? '/.+' : /^\[.+\]$/.test(s) ? '/[^/]+' : `/${s}`))
    .join('');
  return new RegExp(`^${body || '/'}$`);
}

// ---------------------------------------------------------------------------------------------
// Calling

/** A FormData argument (the `(previousState, formData)` actions of useActionState forms). */
export class Form {
  constructor(readonly fields: Record<string, string>) {}
}

export type ActionAnswer = {
  status: number;
  contentType: string;
  /** `x-action-redirect` (fetch actions answer redirect() with 200 and this header). */
  redirect: string | null;
  /** The action's return value, decoded from the RSC payload (undefined if there is none). */
  result: unknown;
  body: string;
};

/**
 * The action's arguments exactly as the browser sends them: React's own `encodeReply` (the copy
 * Next.js ships and its router calls), which gives a JSON string for plain values and a FormData
 * (the JSON in field `0`, the form's entries under a numbered prefix) when an argument is a form.
 */
async function encodeArgs(args: unknown[]): Promise<{ headers: Record<string, string>; data?: string; multipart?: FormData }> {
  const { encodeReply } = load('next/dist/compiled/react-server-dom-webpack/client.node') as {
    encodeReply: (value: unknown) => Promise<string | FormData>;
  };
  const toFormData = (form: Form) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(form.fields)) data.append(key, value);
    return data;
  };
  const body = await encodeReply(args.map((arg) => (arg instanceof Form ? toFormData(arg) : arg)));
  if (typeof body === 'string') return { headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, data: body };
  return { headers: {}, multipart: body };
}

/** React Flight rows (`<hex id>:<json>`): the action's value is row 0's `a`, usually a `$@<id>` reference. */
export function decodeActionResult(body: string): unknown {
  const rows = new Map<string, string>();
  for (const line of body.split('\n')) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match) rows.set(match[1], match[2]);
  }
  const parse = (id: string): unknown => {
    const row = rows.get(id);
    if (row === undefined) return undefined;
    try {
      return JSON.parse(row);
    } catch {
      return undefined;
    }
  };
  const rootRow = parse('0') as { a?: unknown } | undefined;
  const value = rootRow?.a;
  if (typeof value === 'string' && /^\$@[0-9a-f]+$/.test(value)) return parse(value.slice(2));
  return value;
}

/** POST a server action the way the browser's router does (headers, body), bypassing every form. */
export async function callAction(http: APIRequestContext, siteUrl: string, call: { path: string; id: string; args: unknown[] }): Promise<ActionAnswer> {
  const { headers, data, multipart } = await encodeArgs(call.args);
  const response = await http.post(call.path, {
    headers: {
      ...headers,
      'Next-Action': call.id,
      Accept: 'text/x-component',
      Origin: new URL(siteUrl).origin,
    },
    data,
    multipart,
    maxRedirects: 0,
    failOnStatusCode: false,
  });
  const body = await response.text();
  const contentType = response.headers()['content-type'] ?? '';
  return {
    status: response.status(),
    contentType,
    redirect: response.headers()['x-action-redirect'] ?? null,
    result: contentType.startsWith('text/x-component') ? decodeActionResult(body) : undefined,
    body,
  };
}

/** A cookie jar signed in through next-auth's own endpoints (csrf, then the credentials callback). */
export async function signedInContext(baseURL: string, email: string, password: string): Promise<APIRequestContext> {
  const http = await playwrightRequest.newContext({ baseURL });
  await signInWith(http, email, password);
  const session = (await (await http.get('/api/auth/session')).json()) as { user?: { id?: string } };
  if (!session.user?.id) throw new Error(`sign-in of ${email} did not give a session`);
  return http;
}

export async function signInWith(http: APIRequestContext, email: string, password: string): Promise<APIResponse> {
  const { csrfToken } = (await (await http.get('/api/auth/csrf')).json()) as { csrfToken: string };
  return http.post('/api/auth/callback/credentials', {
    form: { csrfToken, email, password, json: 'true' },
    maxRedirects: 0,
    failOnStatusCode: false,
  });
}

export async function sessionCookie(http: APIRequestContext): Promise<string | undefined> {
  return (await http.storageState()).cookies.find((c) => /next-auth\.session-token$/.test(c.name))?.value;
}

// ---------------------------------------------------------------------------------------------
// The database

export async function connect(): Promise<pg.Client> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('mutations-http.spec.ts needs DATABASE_URL (the same test database as the server).');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  return client;
}

/** table → the rows (md5 of the row's text → a short excerpt of it). */
export type Snapshot = Map<string, Map<string, string>>;

/** Every table of the schema, each row as a hash: a new table is covered without anyone listing it. */
export async function snapshotQuery(db: pg.Client): Promise<string> {
  const { rows } = await db.query<{ name: string }>(
    // page_changes is the page cache's history of announced changes (lib/cache/history.ts), kept two
    // days whatever made them: bookkeeping, like a session's last_seen_at below.
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'page_changes' order by table_name`,
  );
  if (rows.length === 0) throw new Error('no tables in schema public');
  // A session's last_seen_at is bookkeeping of every signed-in request (once a minute), not a change.
  const row = (name: string) => (name === 'user_sessions' ? `(to_jsonb(x) - 'last_seen_at')` : 'x');
  return rows.map(({ name }) => `select '${name}' as t, md5(${row(name)}::text) as h, left(${row(name)}::text, 240) as r from "${name}" x`).join(' union all ');
}

export async function snapshot(db: pg.Client, query: string): Promise<Snapshot> {
  const { rows } = await db.query<{ t: string; h: string; r: string }>(query);
  const result: Snapshot = new Map();
  for (const { t, h, r } of rows) {
    if (!result.has(t)) result.set(t, new Map());
    result.get(t)!.set(h, r);
  }
  return result;
}

export type TableChange = { table: string; added: string[]; removed: string[] };

/** What differs between two snapshots, per table ("updated" shows as one row removed and one added). */
export function changes(before: Snapshot, after: Snapshot): TableChange[] {
  const tables = new Set([...before.keys(), ...after.keys()]);
  const out: TableChange[] = [];
  for (const table of [...tables].sort()) {
    const a = before.get(table) ?? new Map<string, string>();
    const b = after.get(table) ?? new Map<string, string>();
    const added = [...b].filter(([h]) => !a.has(h)).map(([, r]) => r);
    const removed = [...a].filter(([h]) => !b.has(h)).map(([, r]) => r);
    if (added.length || removed.length) out.push({ table, added, removed });
  }
  return out;
}

export function describeChanges(list: TableChange[]): string {
  return list.map(({ table, added, removed }) => [`${table}:`, ...removed.map((r) => `  - ${r}`), ...added.map((r) => `  + ${r}`)].join('\n')).join('\n');
}
