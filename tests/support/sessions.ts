/**
 * A signed-in device for tests that stand in for the session cookie: a real user_sessions row and
 * the claims a fresh sign-in's cookie would carry, so the viewer's session check runs as in production.
 * No vitest here: tests/fixtures/hostile/publish-child.ts (a plain child process) uses it too.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import type { SessionClaims } from '@/lib/auth/claims';

/** Makes the row `sessionId` for `userId` if it does not exist (a revoked row stays revoked); the user's current version. */
export async function openSession(userId: string, sessionId: string = randomUUID()): Promise<SessionClaims> {
  // A malformed id (a test of forged cookies) names nobody: no row, and the check refuses it.
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return { userId, sessionId, version: 1 };
  const { rows } = await getDb().execute<{ version: number }>(sql`
    with opened as (
      insert into user_sessions (id, user_id, ip, user_agent)
      select ${sessionId}, id, '192.0.2.1', 'vitest' from users where id = ${userId}
      on conflict (id) do nothing
    )
    select session_version as version from users where id = ${userId}`);
  return { userId, sessionId, version: Number(rows[0]?.version ?? 1) };
}

/**
 * A stand-in cookie: the first call opens its session and remembers the version, later calls reuse
 * both (re-making the row only if a database reset removed it). A version bump or a revoked row
 * signs it out, as it would a real cookie.
 */
export function cookieFor(userId: string): () => Promise<SessionClaims> {
  const sessionId = randomUUID();
  let version: number | undefined;
  return async () => {
    const claims = await openSession(userId, sessionId);
    version ??= claims.version;
    return { ...claims, version };
  };
}
