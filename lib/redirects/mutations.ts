import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { redirects } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { changeFromPaths } from '@/lib/cache/revalidate';
import type { Change } from '@/lib/cache/page-cache';
import { env } from '@/lib/env';
import { parseInput } from '@/lib/users/schemas';
import { isHeaderRecord, readCsvRecords } from './csv';
import { targetKey } from './paths';
import { canManageRedirects } from './policy';
import {
  MAX_CSV_ROWS,
  redirectCsvSchema,
  redirectFromSchema,
  redirectInputSchema,
  redirectKeySchema,
  redirectStatusSchema,
  redirectToSchema,
  type ParsedRedirect,
  type RedirectInput,
} from './schemas';

// Serialises redirect writes, so two admins cannot each pass the loop check with half of a loop.
const REDIRECTS_LOCK = 720_455;
const INSERT_CHUNK = 1000;
const MAX_REPORTED = 10;

type Tx = Parameters<Parameters<ReturnType<typeof getDb>['transaction']>[0]>[0];

async function requireRedirectAdmin(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!canManageRedirects(viewer.role)) throw new ForbiddenError();
  return viewer;
}

/**
 * Why a set of redirects, merged over the stored ones, would send a reader round in circles: a
 * redirect to its own address, or two that point at each other. `pending` wins over `stored`.
 */
function loopProblem(from: string, to: string, lookup: (key: string) => string | undefined, siteUrl: string): string | null {
  const key = targetKey(to, siteUrl);
  if (key === null) return null;
  if (key === from) return `${from} would redirect to itself.`;
  const onward = lookup(key);
  if (onward !== undefined && targetKey(onward, siteUrl) === from) {
    return `${key} already redirects to ${onward}: ${from} → ${to} would make a loop.`;
  }
  return null;
}

/** The stored targets of these addresses (the next step of each new redirect's target). */
async function storedTargets(tx: Tx, keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = [...new Set(keys)];
  for (let at = 0; at < unique.length; at += INSERT_CHUNK) {
    const rows = await tx
      .select({ from: redirects.fromPath, to: redirects.toPath })
      .from(redirects)
      .where(inArray(redirects.fromPath, unique.slice(at, at + INSERT_CHUNK)));
    for (const row of rows) found.set(row.from, row.to);
  }
  return found;
}

async function upsert(tx: Tx, rows: ParsedRedirect[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  for (let at = 0; at < rows.length; at += INSERT_CHUNK) {
    const chunk = rows.slice(at, at + INSERT_CHUNK);
    const written = await tx
      .insert(redirects)
      .values(chunk.map((row) => ({ fromPath: row.from, toPath: row.to, statusCode: row.status, source: 'manual' })))
      .onConflictDoUpdate({
        target: redirects.fromPath,
        set: { toPath: sql`excluded.to_path`, statusCode: sql`excluded.status_code`, source: sql`excluded.source`, updatedAt: sql`now()` },
      })
      // xmax = 0: the row was inserted, not updated.
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    created += written.filter((row) => row.inserted).length;
  }
  return { created, updated: rows.length - created };
}

/** What readers' cached answers a change of these `from` addresses makes stale (lib/cache). */
export function cacheChangeFor(froms: string[]): Change {
  // A notification carries the change (PostgreSQL NOTIFY: under 8,000 bytes): many addresses are everything.
  if (froms.length > 50) return { all: true };
  // `/slug` answers are tied to the slug (pages); every other old address, and every trailing-slash
  // form (`/slug/`), is answered by app/(site)/[...path], judged like the lists.
  return { ...changeFromPaths(froms), lists: true };
}

export type RedirectChange = { from: string; created: boolean; change: Change };

/** Admins: adds the redirect from an address, or replaces the one there. */
export async function saveRedirect(input: RedirectInput): Promise<RedirectChange> {
  const viewer = await requireRedirectAdmin();
  const redirect = parseInput(redirectInputSchema, input);
  const siteUrl = env().SITE_URL;
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REDIRECTS_LOCK})`);
    const key = targetKey(redirect.to, siteUrl);
    const onward = key ? await storedTargets(tx, [key]) : new Map<string, string>();
    const problem = loopProblem(redirect.from, redirect.to, (k) => onward.get(k), siteUrl);
    if (problem) throw new ValidationError(problem, 'to');
    const { created } = await upsert(tx, [redirect]);
    await recordAudit(
      {
        actorId: viewer.id,
        action: created ? 'redirect.create' : 'redirect.update',
        targetType: 'redirect',
        targetId: redirect.from,
        detail: { to: redirect.to, status: redirect.status },
      },
      tx,
    );
    return { from: redirect.from, created: created > 0, change: cacheChangeFor([redirect.from]) };
  });
}

/** Admins: removes the redirect from an address (its address answers 404 again). */
export async function deleteRedirect(input: { from: string }): Promise<RedirectChange> {
  const viewer = await requireRedirectAdmin();
  const { from } = parseInput(redirectKeySchema, input);
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REDIRECTS_LOCK})`);
    const [row] = await tx.delete(redirects).where(eq(redirects.fromPath, from)).returning({ to: redirects.toPath });
    if (!row) throw new NotFoundError('That redirect no longer exists.');
    await recordAudit({ actorId: viewer.id, action: 'redirect.delete', targetType: 'redirect', targetId: from, detail: { to: row.to } }, tx);
    return { from, created: false, change: cacheChangeFor([from]) };
  });
}

export type CsvImportResult = { lines: number; created: number; updated: number; change: Change };

/** The first issue of a zod parse, as a sentence. */
function issueOf(result: { success: boolean; error?: { issues: { message: string }[] } }): string | null {
  return result.success ? null : (result.error?.issues[0]?.message ?? 'Not valid.');
}

/** Every line of the file, checked; the redirects it describes, or the problems naming their lines. */
function readCsv(text: string): { rows: (ParsedRedirect & { line: number })[]; problems: string[] } {
  const { records, problems } = readCsvRecords(text, { noun: 'redirects', maxRows: MAX_CSV_ROWS, isHeader: isHeaderRecord });
  const rows: (ParsedRedirect & { line: number })[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    if (problems.length > MAX_REPORTED) break;
    if (fields.length < 2 || fields.length > 3) {
      problems.push(`Line ${line}: expected the columns from,to,status; found ${fields.length} column${fields.length === 1 ? '' : 's'}.`);
      continue;
    }
    const from = redirectFromSchema.safeParse(fields[0]);
    const to = redirectToSchema.safeParse(fields[1]);
    const status = redirectStatusSchema.safeParse(fields[2]?.trim() || '301');
    const problem = issueOf(from) ?? issueOf(to) ?? issueOf(status);
    if (problem || !from.success || !to.success || !status.success) {
      problems.push(`Line ${line}: ${problem}`);
      continue;
    }
    const earlier = seen.get(from.data);
    if (earlier !== undefined) {
      problems.push(`Line ${line}: ${from.data} is already on line ${earlier}.`);
      continue;
    }
    seen.set(from.data, line);
    rows.push({ line, from: from.data, to: to.data, status: status.data });
  }
  return { rows, problems };
}

function refuse(problems: string[]): never {
  const shown = problems.slice(0, MAX_REPORTED);
  const more = problems.length > MAX_REPORTED ? ` …and more: fix these first.` : '';
  throw new ValidationError(`Nothing was imported. ${shown.join(' ')}${more}`, 'csv');
}

/**
 * Admins: imports a CSV of redirects (lib/redirects/csv.ts), all or nothing, in one transaction:
 * every line is checked first (its address, its target, its status, a loop with the file or the
 * stored redirects), and any problem names its line and writes nothing. Each line replaces the
 * redirect from its address.
 */
export async function importRedirectsCsv(input: { csv: string }): Promise<CsvImportResult> {
  const viewer = await requireRedirectAdmin();
  const { csv } = parseInput(redirectCsvSchema, input);
  const { rows, problems } = readCsv(csv);
  if (problems.length > 0) refuse(problems);
  const siteUrl = env().SITE_URL;
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REDIRECTS_LOCK})`);
    const pending = new Map(rows.map((row) => [row.from, row.to]));
    const keys = rows.map((row) => targetKey(row.to, siteUrl)).filter((key): key is string => key !== null);
    const stored = await storedTargets(tx, keys);
    const lookup = (key: string) => pending.get(key) ?? stored.get(key);
    for (const row of rows) {
      const problem = loopProblem(row.from, row.to, lookup, siteUrl);
      if (problem) problems.push(`Line ${row.line}: ${problem}`);
      if (problems.length > MAX_REPORTED) break;
    }
    if (problems.length > 0) refuse(problems);
    const { created, updated } = await upsert(tx, rows);
    await recordAudit({ actorId: viewer.id, action: 'redirect.import', targetType: 'redirect', detail: { lines: rows.length, created, updated } }, tx);
    return { lines: rows.length, created, updated, change: cacheChangeFor(rows.map((row) => row.from)) };
  });
}
