import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { countHit, hitsSoFar } from '@/lib/rate-limit';
import { parseInput } from '@/lib/users/schemas';
import { ValidationError } from './errors';
import { hashPassword, verifyPassword } from './password';
import { changePasswordSchema } from './schemas';
import { endOtherSessionsOf } from './session-store';
import { requireCurrentSession } from './sessions';

/** Wrong current passwords a signed-in person may give per window before the form refuses to check. */
export const WRONG_CURRENT_PER_WINDOW = 5;
const CHECK_WINDOW_MINUTES = 15;

/**
 * A signed-in person changes their own password (with the current one). Every other session of
 * theirs ends in the same transaction; the one they did it from goes on. The other rows are revoked
 * rather than the version bumped: a bump would end this session too, and re-issuing its cookie from a
 * server action would mean writing next-auth's cookie ourselves.
 */
export async function changeOwnPassword(input: { current: string; password: string }): Promise<{ endedOthers: number }> {
  const { viewer, sessionId } = await requireCurrentSession();
  const { current, password } = parseInput(changePasswordSchema, input);
  // A stolen session cannot guess the password it would need to take the account over.
  const failures = `password-check:${viewer.id}`;
  if ((await hitsSoFar(failures, CHECK_WINDOW_MINUTES)) >= WRONG_CURRENT_PER_WINDOW) {
    throw new ValidationError(`Too many wrong passwords. Try again in ${CHECK_WINDOW_MINUTES} minutes.`, 'current');
  }
  const [row] = await getDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, viewer.id));
  if (!(await verifyPassword(row?.passwordHash ?? null, current))) {
    await countHit(failures, CHECK_WINDOW_MINUTES);
    throw new ValidationError('Your current password is not right.', 'current');
  }
  const passwordHash = await hashPassword(password);
  return getDb().transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, viewer.id));
    const endedOthers = await endOtherSessionsOf(tx, viewer.id, sessionId);
    await recordAudit({ actorId: viewer.id, action: 'user.password', targetType: 'user', targetId: viewer.id, detail: { endedOthers } }, tx);
    return { endedOthers };
  });
}
