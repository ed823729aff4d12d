import 'server-only';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { userSessions, users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { requireCapability } from '@/lib/users/admin-queries';
import { parseInput } from '@/lib/users/schemas';
import { AuthError, NotFoundError } from './errors';
import { endSessionsSchema, sessionIdSchema, userIdInputSchema } from './schemas';
import { getSessionClaims } from './session';
import { endAllSessionsOf, endOtherSessionsOf } from './session-store';
import { describeUserAgent } from './user-agent';
import { requireViewer } from './viewer';

/**
 * Signed-in devices (user_sessions). A session cookie carries the row's id and the user's
 * session_version (lib/auth/options.ts); lib/auth/viewer.ts checkSession accepts it only while the row
 * is unrevoked and the version current. Ending one device revokes its row; ending every session of a
 * user bumps the version (and revokes the rows, so the list of devices says so too).
 */

/** As long as a session cookie lives without a request (next-auth re-issues it on use). */
const SESSION_DAYS = 7;

/** The viewer and the session their request came with (the session check has passed). */
export async function requireCurrentSession() {
  const viewer = await requireViewer();
  const claims = await getSessionClaims();
  if (!claims || claims.userId !== viewer.id) throw new AuthError();
  return { viewer, sessionId: claims.sessionId };
}

export type DeviceItem = {
  id: string;
  browser: string;
  os: string;
  ip: string;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

/** The viewer's own signed-in devices (never anyone else's), most recently seen first. */
export async function listMySessions(): Promise<DeviceItem[]> {
  const { viewer, sessionId } = await requireCurrentSession();
  const rows = await getDb()
    .select({ id: userSessions.id, ip: userSessions.ip, userAgent: userSessions.userAgent, createdAt: userSessions.createdAt, lastSeenAt: userSessions.lastSeenAt })
    .from(userSessions)
    .where(and(eq(userSessions.userId, viewer.id), isNull(userSessions.revokedAt), sql`${userSessions.lastSeenAt} > now() - make_interval(days => ${SESSION_DAYS})`))
    .orderBy(desc(userSessions.lastSeenAt), desc(userSessions.id))
    .limit(100);
  return rows.map(({ userAgent, ...row }) => ({ ...row, ...describeUserAgent(userAgent), current: row.id === sessionId }));
}

/** Signs one of the viewer's own devices out (another user's session id is "not found", as a forged one). */
export async function endSession(input: { sessionId: string }): Promise<{ current: boolean }> {
  const { viewer, sessionId: current } = await requireCurrentSession();
  const { sessionId } = parseInput(sessionIdSchema, input);
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(userSessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, viewer.id), isNull(userSessions.revokedAt)))
      .returning({ id: userSessions.id });
    if (!row) throw new NotFoundError('No such session: it may have ended already.');
    await recordAudit({ actorId: viewer.id, action: 'session.end', targetType: 'user', targetId: viewer.id, detail: { sessionId } }, tx);
    return { current: sessionId === current };
  });
}

/** "Sign out everywhere else" (the other rows are revoked) or "everywhere" (the version is bumped: this cookie too). */
export async function endSessions(input: { which: 'others' | 'all' }): Promise<{ ended: number | 'all' }> {
  const { viewer, sessionId } = await requireCurrentSession();
  const { which } = parseInput(endSessionsSchema, input);
  return getDb().transaction(async (tx) => {
    let ended: number | 'all' = 'all';
    if (which === 'all') await endAllSessionsOf(tx, viewer.id);
    else ended = await endOtherSessionsOf(tx, viewer.id, sessionId);
    await recordAudit({ actorId: viewer.id, action: which === 'all' ? 'session.end_all' : 'session.end_others', targetType: 'user', targetId: viewer.id }, tx);
    return { ended };
  });
}

/** Admins (from /editor/users): end every session of someone, at once. */
export async function endUserSessions(input: { userId: string }): Promise<void> {
  const viewer = await requireCapability('manageUsers');
  const { userId } = parseInput(userIdInputSchema, input);
  await getDb().transaction(async (tx) => {
    const [target] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    if (!target) throw new NotFoundError('No such user.');
    await endAllSessionsOf(tx, userId);
    await recordAudit({ actorId: viewer.id, action: 'session.end_all', targetType: 'user', targetId: userId }, tx);
  });
}
