import 'server-only';
import { cookies } from 'next/headers';
import type { z } from 'zod';
import { AuthError, ConflictError, ForbiddenError, NotFoundError, ValidationError, isDatabaseUnavailable, publicMessage } from '@/lib/auth/errors';
import { REFUSAL_COOKIE } from '@/lib/server/refusal';

/**
 * Next.js answers every server action 200. A refusal should say so on the wire too: the action
 * leaves a marker (an already-expired cookie) that the server (lib/server/respond.ts) turns into
 * the status and removes. The body is unchanged, so the form still shows the message.
 */
async function refuseWith(status: number): Promise<void> {
  try {
    (await cookies()).set(REFUSAL_COOKIE, String(status), { maxAge: 0, path: '/', httpOnly: true, sameSite: 'strict' });
  } catch {
    // Called outside a request (tests, scripts): there is no response to mark.
  }
}

function statusOf(error: unknown): number {
  if (error instanceof AuthError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ValidationError) return 422;
  if (isDatabaseUnavailable(error)) return 503;
  return 500;
}

/** What every server action returns: small, never a row, never a raw error message. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; field?: string; conflict?: unknown; signedOut?: boolean };

/**
 * The one wrapper for server actions (public POST endpoints): parse the input with zod, run the
 * data-layer call (which checks the viewer and the policy itself), and turn refusals into a message.
 */
export async function runAction<S extends z.ZodType, T>(
  schema: S,
  raw: unknown,
  fn: (input: z.infer<S>) => Promise<T>,
): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    await refuseWith(422);
    return { ok: false, error: issue.message, field: issue.path.at(-1)?.toString() };
  }
  try {
    return { ok: true, data: await fn(parsed.data) };
  } catch (error) {
    await refuseWith(statusOf(error));
    if (error instanceof ConflictError) return { ok: false, error: error.message, conflict: error.current };
    if (error instanceof ValidationError) return { ok: false, error: error.message, field: error.field };
    if (error instanceof AuthError) return { ok: false, error: error.message, signedOut: true };
    return { ok: false, error: publicMessage(error) };
  }
}
