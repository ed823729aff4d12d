import { z } from 'zod';

/**
 * What a session cookie says, besides its signature: the user, the signed-in device (a user_sessions
 * row) and the user's session version when it was issued. Nothing here is trusted on its own: the
 * viewer check (lib/auth/sessions.ts checkSession) matches all three against the database.
 */
export type SessionClaims = { userId: string; sessionId: string; version: number };

const claimsSchema = z.object({ id: z.uuid(), sid: z.uuid(), sv: z.number().int().positive() });

/** The claims of next-auth's session object (`{ user: { id, sid, sv } }`, see lib/auth/options.ts), or null. */
export function claimsOf(user: unknown): SessionClaims | null {
  const parsed = claimsSchema.safeParse(user);
  return parsed.success ? { userId: parsed.data.id, sessionId: parsed.data.sid, version: parsed.data.sv } : null;
}
