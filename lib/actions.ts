import 'server-only';
import type { z } from 'zod';
import { AuthError, ConflictError, ForbiddenError, NotFoundError, ValidationError, isDatabaseUnavailable, publicMessage } from '@/lib/auth/errors';

/**
 * Next.js answers every server action 200. A refusal says what it is on the wire too: its result
 * carries the HTTP status it deserves (first, after `ok`), which the server (lib/server/respond.ts,
 * lib/server/refusal.ts) reads from the answer and sets. The body is unchanged, so the form still
 * shows the message, and nothing else is touched (setting a cookie would make Next.js re-render the
 * page with the answer).
 */
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
export type ActionResult<T> = { ok: true; data: T } | { ok: false; status?: number; error: string; field?: string; conflict?: unknown; signedOut?: boolean };

/**
 * The one wrapper for server actions (public POST endpoints): parse the input with zod, run the
 * data-layer call (which checks the viewer and the policy itself), and turn refusals into a message.
 */
export async function runAction<S extends z.ZodType, T>(schema: S, raw: unknown, fn: (input: z.infer<S>) => Promise<T>): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, status: 422, error: issue.message, field: issue.path.at(-1)?.toString() };
  }
  try {
    return { ok: true, data: await fn(parsed.data) };
  } catch (error) {
    const status = statusOf(error);
    if (error instanceof ConflictError) return { ok: false, status, error: error.message, conflict: error.current };
    if (error instanceof ValidationError) return { ok: false, status, error: error.message, field: error.field };
    if (error instanceof AuthError) return { ok: false, status, error: error.message, signedOut: true };
    return { ok: false, status, error: publicMessage(error) };
  }
}
