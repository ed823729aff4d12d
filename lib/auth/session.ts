import 'server-only';
import { cache } from 'react';
import { getServerSession } from 'next-auth';
import { claimsOf, type SessionClaims } from './claims';
import { getAuthOptions } from './options';

/**
 * The session cookie's claims (user id, session id, session version), or null. Nothing here is
 * trusted: lib/auth/sessions.ts checkSession matches them against the database on every request.
 * Cookies issued before sessions were recorded (only a user id) give null: signed out.
 */
export const getSessionClaims = cache(async (): Promise<SessionClaims | null> => {
  const session = await getServerSession(getAuthOptions());
  return claimsOf(session?.user);
});
