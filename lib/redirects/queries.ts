import 'server-only';
import { and, asc, desc, eq, ilike, or, sql } from 'drizzle-orm';
import { getDb, getReadDb } from '@/db/client';
import { redirects } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/errors';
import { requireViewer } from '@/lib/auth/viewer';
import { toCsv } from './csv';
import { normalizeRedirectPath } from './paths';
import { canManageRedirects } from './policy';
import { redirectListSchema, type RedirectListFilter } from './schemas';

export type RedirectTarget = { to: string; status: 301 | 302 };

/**
 * The redirect for an address nothing else answers, or null. Public: it only says where a public
 * address moved. Called by the pages that answer unknown addresses; their answer is cached like
 * any page, so this is one lookup per cache miss.
 */
export async function findRedirect(address: string): Promise<RedirectTarget | null> {
  const from = normalizeRedirectPath(address);
  if (!from) return null;
  const [row] = await getReadDb().select({ to: redirects.toPath, status: redirects.statusCode }).from(redirects).where(eq(redirects.fromPath, from)).limit(1);
  return row ? { to: row.to, status: row.status === 302 ? 302 : 301 } : null;
}

export type RedirectListItem = { from: string; to: string; status: 301 | 302; source: string; createdAt: Date };
export type RedirectPage = { items: RedirectListItem[]; nextAfter: string | null };

export const REDIRECTS_PER_PAGE = 50;

/** The list's keyset cursor: the last row's (created_at to the microsecond, from_path), opaque. */
type ListCursor = { at: string; from: string };
const encodeListCursor = (cursor: ListCursor) => Buffer.from(JSON.stringify([cursor.at, cursor.from])).toString('base64url');
function decodeListCursor(value: string | undefined): ListCursor | null {
  if (!value) return null;
  try {
    const [at, from] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof at !== 'string' || typeof from !== 'string' || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(at) || !from.startsWith('/')) return null;
    return { at, from };
  } catch {
    return null;
  }
}

/** Admins: redirects newest first, a page at a time (keyset), optionally those whose from or to contains `q`. */
export async function listRedirects(filter: RedirectListFilter = {}): Promise<RedirectPage> {
  await requireRedirectAdmin();
  const { q, after } = redirectListSchema.parse(filter);
  const cursor = decodeListCursor(after);
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await getDb()
    .select({
      from: redirects.fromPath,
      to: redirects.toPath,
      status: redirects.statusCode,
      source: redirects.source,
      createdAt: redirects.createdAt,
      at: sql<string>`to_char(${redirects.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(redirects)
    .where(
      and(
        pattern ? or(ilike(redirects.fromPath, pattern), ilike(redirects.toPath, pattern)) : undefined,
        cursor ? sql`(${redirects.createdAt}, ${redirects.fromPath}) < (${cursor.at}::timestamptz, ${cursor.from})` : undefined,
      ),
    )
    .orderBy(desc(redirects.createdAt), desc(redirects.fromPath))
    .limit(REDIRECTS_PER_PAGE + 1);
  const items = rows.slice(0, REDIRECTS_PER_PAGE).map(({ at: _at, status, ...row }) => ({ ...row, status: status === 302 ? (302 as const) : (301 as const) }));
  const last = rows.length > REDIRECTS_PER_PAGE ? rows[REDIRECTS_PER_PAGE - 1] : null;
  return { items, nextAfter: last ? encodeListCursor({ at: last.at, from: last.from }) : null };
}

/** Admins: every redirect as CSV (from,to,status), in address order: what the import reads back. */
export async function exportRedirectsCsv(): Promise<string> {
  await requireRedirectAdmin();
  const rows = await getDb()
    .select({ from: redirects.fromPath, to: redirects.toPath, status: redirects.statusCode })
    .from(redirects)
    .orderBy(asc(redirects.fromPath));
  return toCsv(
    ['from', 'to', 'status'],
    rows.map((row) => [row.from, row.to, String(row.status)]),
  );
}

async function requireRedirectAdmin(): Promise<void> {
  const viewer = await requireViewer();
  if (!canManageRedirects(viewer.role)) throw new ForbiddenError();
}
