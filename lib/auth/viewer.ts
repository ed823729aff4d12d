import 'server-only';
import { cache } from 'react';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { siteSettings, userSessions, users, type Role } from '@/db/schema';
import type { SessionClaims } from './claims';
import { AuthError, ForbiddenError } from './errors';
import { getSessionClaims } from './session';
import { mustSetUpTwoFactor } from './two-factor-policy';

export type Viewer = { id: string; name: string; email: string; slug: string; role: Role };

/**
 * The viewer and whether they must set up two-factor sign-in first (the site requires it of their
 * role and they have none yet): requireViewer() then refuses them everything but setting it up.
 */
export type ViewerAccess = { viewer: Viewer; mustSetUpTwoFactor: boolean };

/** What every data-layer call answers someone who must set up two-factor sign-in first. */
export class TwoFactorSetupRequiredError extends ForbiddenError {
  override name = 'TwoFactorSetupRequiredError';
  constructor() {
    super('Two-factor sign-in is required for admins and editors on this site: set it up on your account page first.');
  }
}

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
  return (await checkSessionAccess(claims))?.viewer ?? null;
}

/** checkSession, with whether the site's two-factor requirement holds this person back (the same one query). */
export async function checkSessionAccess(claims: SessionClaims): Promise<ViewerAccess | null> {
  if (!uuid.safeParse(claims.userId).success || !uuid.safeParse(claims.sessionId).success) return null;
  const db = getDb();
  const [row] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      slug: users.slug,
      role: users.role,
      twoFactor: sql<boolean>`${users.totpEnabledAt} is not null`,
      required: sql<boolean>`coalesce((select ${siteSettings.requireTwoFactor} from ${siteSettings} where ${siteSettings.id} = 1), false)`,
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
  return {
    viewer: { id: row.id, name: row.name, email: row.email, slug: row.slug, role: row.role },
    mustSetUpTwoFactor: mustSetUpTwoFactor(row.role, row.twoFactor, row.required),
  };
}

/**
 * Who is asking, re-read from the database on every request (once per request, via React cache):
 * a role change or a disabled account takes effect on the next click, not when the cookie expires.
 */
export const getViewerAccess = cache(async (): Promise<ViewerAccess | null> => {
  const claims = await getSessionClaims();
  return claims ? checkSessionAccess(claims) : null;
});

/** Who is asking (see getViewerAccess), or null: signed out. */
export const getViewer = cache(async (): Promise<Viewer | null> => (await getViewerAccess())?.viewer ?? null);

/** The signed-in viewer, or AuthError; someone who must set up two-factor sign-in first gets TwoFactorSetupRequiredError. */
export async function requireViewer(): Promise<Viewer> {
  const { viewer, mustSetUpTwoFactor } = await requireViewerForTwoFactorSetup();
  if (mustSetUpTwoFactor) throw new TwoFactorSetupRequiredError();
  return viewer;
}

/** The signed-in viewer even while they must set up two-factor sign-in: only lib/auth/two-factor.ts's own steps use it. */
export async function requireViewerForTwoFactorSetup(): Promise<ViewerAccess> {
  const access = await getViewerAccess();
  if (!access) throw new AuthError();
  return access;
}
