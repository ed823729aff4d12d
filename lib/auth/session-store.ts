import 'server-only';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { userSessions, users } from '@/db/schema';
import type { Tx } from '@/lib/tags/mutations';

/**
 * Session rows without any viewer check: what sign-in, sign-out and the mutations that end sessions
 * (password, role, disabling, reset) call. The viewer-facing list and actions are in ./sessions.ts.
 */

const MAX_USER_AGENT = 512;

export type RequestMeta = { ip: string; userAgent: string };

/** At sign-in (the jwt callback): a row for this device, and the version its cookie will carry. Null if the account cannot sign in. */
export async function startSession(userId: string, meta: RequestMeta): Promise<{ sessionId: string; version: number } | null> {
  const { rows } = await getDb().execute<{ id: string; version: number }>(sql`
    insert into ${userSessions} (user_id, ip, user_agent)
    select ${users.id}, ${meta.ip.slice(0, 64)}, ${meta.userAgent.slice(0, MAX_USER_AGENT)}
      from ${users} where ${users.id} = ${userId} and ${users.disabledAt} is null
    returning id, (select session_version from users where id = ${userId}) as version`);
  return rows[0] ? { sessionId: rows[0].id, version: Number(rows[0].version) } : null;
}

/** Next-auth's sign-out (the cookie's own session): its row is revoked, so a copy of the cookie is dead too. */
export async function endSessionById(sessionId: unknown): Promise<void> {
  if (!z.uuid().safeParse(sessionId).success) return;
  await getDb()
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(userSessions.id, sessionId as string), isNull(userSessions.revokedAt)));
}

/**
 * Ends every session of a user at once, inside the caller's transaction (a password change by an
 * admin, a role change, disabling, a reset): the version bump makes every cookie issued before it
 * stale, whatever rows exist; the rows are revoked for the list of devices.
 */
export async function endAllSessionsOf(tx: Tx, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
  await tx
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt)));
}

/** Revokes every session row of a user but one (the one the request came with), in the caller's transaction. */
export async function endOtherSessionsOf(tx: Tx, userId: string, keepSessionId: string): Promise<number> {
  const revoked = await tx
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(userSessions.userId, userId), ne(userSessions.id, keepSessionId), isNull(userSessions.revokedAt)))
    .returning({ id: userSessions.id });
  return revoked.length;
}
