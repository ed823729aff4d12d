import 'server-only';
import type { z } from 'zod';
import { AuthError, ConflictError, ValidationError, publicMessage } from '@/lib/auth/errors';

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
    return { ok: false, error: issue.message, field: issue.path.at(-1)?.toString() };
  }
  try {
    return { ok: true, data: await fn(parsed.data) };
  } catch (error) {
    if (error instanceof ConflictError) return { ok: false, error: error.message, conflict: error.current };
    if (error instanceof ValidationError) return { ok: false, error: error.message, field: error.field };
    if (error instanceof AuthError) return { ok: false, error: error.message, signedOut: true };
    return { ok: false, error: publicMessage(error) };
  }
}
