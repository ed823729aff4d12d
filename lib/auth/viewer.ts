import 'server-only';
import { cache } from 'react';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { userSessions, users, type Role } from '@/db/schema';
import type { SessionClaims } from './claims';
import { AuthError } from './errors';
import { getSessionClaims } from './session';

export type Viewer = { id: string; name: string; email: string; slug: string; role: Role };

/** last_seen_at is written at most once a minute per session: a click is a read, not a write. */
export const LAST_SEEN_EVERY = '1 minute';

const uuid = z.uuid();

/**
 * The one session check, one query: the cookie's session row exists, is not revoked, belongs to
 * the cookie's user, and the cookie's session version is the user's current one (a password, role
 * or disabled change, or a reset, bumps it); the user is enabled and has an email. Returns the user
 * as they are now, or null (signed out).
 */
export async function checkSession(claims: SessionClaims): Promise<Viewer | null> {
  if (!uuid.safeParse(claims.userId).success || !uuid.safeParse(claims.sessionId).success) return null;
  const db = getDb();
  const [row] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      slug: users.slug,
      role: users.role,
      stale: sql<boolean>`${userSessions.lastSeenAt} < now() - ${LAST_SEEN_EVERY}::interval`,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
      and(
        eq(userSessions.id, claims.sessionId),
        eq(userSessions.userId, claims.userId),
        isNull(userSessions.revokedAt),
        eq(users.sessionVersion, claims.version),
        isNull(users.disabledAt),
      ),
    )
    .limit(1);
  if (!row?.email) return null;
  if (row.stale) {
    await db
      .update(userSessions)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(userSessions.id, claims.sessionId), sql`${userSessions.lastSeenAt} < now() - ${LAST_SEEN_EVERY}::interval`));
  }
  return { id: row.id, name: row.name, email: row.email, slug: row.slug, role: row.role };
}

/**
 * Who is asking, re-read from the database on every request (once per request, via React cache):
 * a role change or a disabled account takes effect on the next click, not when the cookie expires.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const claims = await getSessionClaims();
  return claims ? checkSession(claims) : null;
});

export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) throw new AuthError();
  return viewer;
}
