import 'server-only';
import { and, asc, desc, eq, ilike, or, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { members, memberStatuses, type MemberStatus } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/errors';
import { requireViewer } from '@/lib/auth/viewer';
import { toCsv } from '@/lib/redirects/csv';
import { MEMBER_CSV_HEADER } from './csv';
import { canManageMembers } from './policy';
import { memberListSchema, type MemberListFilter } from './schemas';

async function requireMemberManager(): Promise<void> {
  const viewer = await requireViewer();
  if (!canManageMembers(viewer.role)) throw new ForbiddenError();
}

export type MemberListItem = {
  id: string;
  email: string;
  name: string;
  status: MemberStatus;
  source: string;
  consentAt: Date | null;
  createdAt: Date;
};
export type MemberPage = { items: MemberListItem[]; nextAfter: string | null };
export type MemberCounts = Record<MemberStatus, number> & { total: number };

export const MEMBERS_PER_PAGE = 50;

/** The list's keyset cursor: the last row's (created_at to the microsecond, id), opaque. */
type ListCursor = { at: string; id: string };
const encodeListCursor = (cursor: ListCursor) => Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
function decodeListCursor(value: string | undefined): ListCursor | null {
  if (!value) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string' || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(at) || !/^[0-9a-f-]{36}$/.test(id)) return null;
    return { at, id };
  } catch {
    return null;
  }
}

/** Editors and admins: how many members have each status. */
export async function countMembers(): Promise<MemberCounts> {
  await requireMemberManager();
  const rows = await getDb()
    .select({ status: members.status, count: sql<number>`count(*)::int` })
    .from(members)
    .groupBy(members.status);
  const counts = Object.fromEntries(memberStatuses.map((status) => [status, 0])) as MemberCounts;
  counts.total = 0;
  for (const row of rows) {
    counts[row.status] = row.count;
    counts.total += row.count;
  }
  return counts;
}

/** Editors and admins: members newest first, a page at a time (keyset), by status and/or whose address or name contains `q`. */
export async function listMembers(filter: MemberListFilter = {}): Promise<MemberPage> {
  await requireMemberManager();
  const { q, status, after } = memberListSchema.parse(filter);
  const cursor = decodeListCursor(after);
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await getDb()
    .select({
      id: members.id,
      email: members.email,
      name: members.name,
      status: members.status,
      source: members.source,
      consentAt: members.consentAt,
      createdAt: members.createdAt,
      at: sql<string>`to_char(${members.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(members)
    .where(
      and(
        status ? eq(members.status, status) : undefined,
        pattern ? or(ilike(members.email, pattern), ilike(members.name, pattern)) : undefined,
        cursor ? sql`(${members.createdAt}, ${members.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(members.createdAt), desc(members.id))
    .limit(MEMBERS_PER_PAGE + 1);
  const items = rows.slice(0, MEMBERS_PER_PAGE).map(({ at: _at, ...row }) => row);
  const last = rows.length > MEMBERS_PER_PAGE ? rows[MEMBERS_PER_PAGE - 1] : null;
  return { items, nextAfter: last ? encodeListCursor({ at: last.at, id: last.id }) : null };
}

/** Editors and admins: every member as CSV (email,name,consent_at,status), by address: what the import reads. */
export async function exportMembersCsv(): Promise<string> {
  await requireMemberManager();
  const rows = await getDb()
    .select({ email: members.email, name: members.name, consentAt: members.consentAt, status: members.status })
    .from(members)
    .orderBy(asc(members.email));
  return toCsv(
    MEMBER_CSV_HEADER,
    rows.map((row) => [row.email, row.name, row.consentAt?.toISOString() ?? '', row.status]),
  );
}

/** For the confirmation job (no viewer: the worker): who to mail, or null when the member is gone. */
export async function getMemberRecipient(id: string): Promise<{ id: string; email: string; status: MemberStatus } | null> {
  const [row] = await getDb().select({ id: members.id, email: members.email, status: members.status }).from(members).where(eq(members.id, id)).limit(1);
  return row ?? null;
}
