import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { verifyPassword } from './password';
import { recordFailure, recordSuccess } from './throttle';
import { consumeSecondFactor } from './two-factor';

export type CredentialsOutcome = { ok: true; id: string } | { ok: false; reason: 'credentials' | 'two-factor-required' | 'two-factor-invalid' };

async function refuse(email: string, ip: string, audit: { actorId: string | null; action: string }): Promise<void> {
  const { slowdownMs } = await recordFailure(email, ip);
  await recordAudit({ ...audit, detail: { email }, ip });
  // An account under attack answers every failure a second late, whoever's it is (lib/auth/throttle-rules.ts).
  if (slowdownMs > 0) await new Promise((resolve) => setTimeout(resolve, slowdownMs));
}

/**
 * The credentials sign-in (lib/auth/options.ts): the password first (unknown emails, wrong passwords and disabled accounts get the same answer after the same
 * argon2 work), then, for an account with two-factor sign-in, a code. A right password without a code
 * is refused as `two-factor-required` and counts as nothing; a wrong code is counted exactly like a
 * wrong password (the same pair, address and account counters), and the pair is cleared only once
 * both factors are right, so guessing codes behind a known password is throttled like guessing passwords.
 */
export async function signInWithCredentials(input: { email: string; password: string; code?: string }, ip: string): Promise<CredentialsOutcome> {
  const email = input.email.trim().toLowerCase();
  const [user] = await getDb()
    .select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt, twoFactorAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!ok || !user || user.disabledAt) {
    await refuse(email, ip, { actorId: user?.id ?? null, action: 'signin.failure' });
    return { ok: false, reason: 'credentials' };
  }
  let method: 'password' | 'totp' | 'recovery' = 'password';
  if (user.twoFactorAt) {
    if (!input.code?.trim()) return { ok: false, reason: 'two-factor-required' };
    const used = await consumeSecondFactor(user.id, input.code);
    if (!used) {
      await refuse(email, ip, { actorId: user.id, action: 'signin.two-factor-failure' });
      return { ok: false, reason: 'two-factor-invalid' };
    }
    method = used;
  }
  await recordSuccess(email, ip);
  await recordAudit({ actorId: user.id, action: 'signin.success', ip, ...(method === 'password' ? {} : { detail: { secondFactor: method } }) });
  return { ok: true, id: user.id };
}
