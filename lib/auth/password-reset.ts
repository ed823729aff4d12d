import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { passwordTokens, users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { addJob } from '@/lib/jobs/queue';
import { hashToken, liveToken, setPasswordWithToken } from '@/lib/users/mutations';
import { countHit } from '@/lib/rate-limit';
import { parseInput } from '@/lib/users/schemas';
import { requireCapability } from '@/lib/users/admin-queries';
import { NotFoundError, ValidationError } from './errors';
import { hashPassword } from './password';
import { RESET_HOURS } from './reset-mail';
import { forgotPasswordSchema, resetPasswordSchema, userIdInputSchema } from './schemas';
import { endAllSessionsOf } from './session-store';

/** The one answer to "forgot password", whatever the address. */
export const FORGOT_PASSWORD_ANSWER = 'If that address has an account here, a link to choose a new password is on its way. Check your inbox (and spam folder).';
export { RESET_HOURS };
export const BAD_RESET_MESSAGE = 'This reset link is not valid: it may have expired or been used already.';

/** "Forgot password" requests one client address may make per hour (mail to many addresses is spam). */
export const RESET_REQUESTS_PER_HOUR = 20;

/**
 * "Forgot password": the same work and the same answer for every address. The request only queues
 * a job (keyed by the address, so repeats replace it); whether the address has an account is found
 * out by the job, later, out of the request's timing. Nothing here reads the users table. Past
 * RESET_REQUESTS_PER_HOUR from one client address the answer is a refusal, the same for every email.
 */
export async function requestPasswordReset(input: { email: string }, client: { ip: string }): Promise<void> {
  const { email } = parseInput(forgotPasswordSchema, input);
  if ((await countHit(`password-reset:ip:${client.ip}`, 60)) > RESET_REQUESTS_PER_HOUR) {
    throw new ValidationError('Too many requests from your network. Try again in an hour.', 'email');
  }
  await addJob(getDb(), 'password_reset', { email }, { jobKey: `password_reset:${hashToken(email)}`, maxAttempts: 5 });
}

const liveReset = (hash: string) => liveToken(hash, 'reset');

/** Whose password a reset link sets, while it is unused, unexpired and the account enabled; else null. */
export async function getPasswordReset(token: string): Promise<{ email: string } | null> {
  if (!resetPasswordSchema.shape.token.safeParse(token).success) return null;
  const [row] = await getDb()
    .select({ email: users.email })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(liveReset(hashToken(token)))
    .limit(1);
  return row?.email ? { email: row.email } : null;
}

/**
 * Sets a new password with a reset link: the link (and every other unused link of the account) is
 * spent, and every session of the account ends, in one transaction. A forged, expired or used link
 * changes nothing.
 */
export async function resetPassword(input: { token: string; password: string }): Promise<{ email: string }> {
  if (!resetPasswordSchema.shape.token.safeParse(input.token).success) throw new NotFoundError(BAD_RESET_MESSAGE);
  const { token, password } = parseInput(resetPasswordSchema, input);
  const passwordHash = await hashPassword(password);
  return getDb().transaction(async (tx) => {
    const row = await setPasswordWithToken(tx, liveReset(hashToken(token)), passwordHash);
    if (!row) throw new NotFoundError(BAD_RESET_MESSAGE);
    await endAllSessionsOf(tx, row.userId);
    await recordAudit({ actorId: row.userId, action: 'user.password_reset', targetType: 'user', targetId: row.userId }, tx);
    return { email: row.email };
  });
}

/**
 * Admins (from /editor/users): a reset link for an enabled account, returned once for the admin to
 * pass on (no mail); only its hash is stored. Using it is the same as a mailed link's.
 */
export async function issuePasswordReset(input: { userId: string }): Promise<{ token: string; email: string }> {
  const viewer = await requireCapability('manageUsers');
  const { userId } = parseInput(userIdInputSchema, input);
  const token = randomBytes(32).toString('base64url');
  return getDb().transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.disabledAt), isNotNull(users.email)))
      .for('update');
    if (!user?.email) throw new NotFoundError('No such account: it may be disabled, or have no email.');
    await tx.insert(passwordTokens).values({
      tokenHash: hashToken(token),
      userId: user.id,
      purpose: 'reset',
      expiresAt: sql`now() + make_interval(hours => ${RESET_HOURS})`,
    });
    await recordAudit({ actorId: viewer.id, action: 'user.reset_issued', targetType: 'user', targetId: user.id }, tx);
    return { token, email: user.email };
  });
}
