import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { verifyPassword } from './password';
import { recordFailure, recordSuccess } from './throttle';

/**
 * Checks an email and password. Unknown emails, wrong passwords and disabled accounts all get the
 * same null after the same argon2 work, so the answer tells an attacker nothing.
 */
export async function authenticate(email: string, password: string, ip: string): Promise<{ id: string } | null> {
  const normalised = email.trim().toLowerCase();
  const [user] = await getDb()
    .select({ id: users.id, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, normalised))
    .limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!ok || !user || user.disabledAt) {
    const { slowdownMs } = await recordFailure(normalised, ip);
    await recordAudit({ actorId: user?.id ?? null, action: 'signin.failure', detail: { email: normalised }, ip });
    // An account under attack answers every failure a second late, whoever's it is (lib/auth/throttle-rules.ts).
    if (slowdownMs > 0) await new Promise((resolve) => setTimeout(resolve, slowdownMs));
    return null;
  }
  await recordSuccess(normalised, ip);
  await recordAudit({ actorId: user.id, action: 'signin.success', ip });
  return { id: user.id };
}

/** OAuth/OIDC sign-in: only people who already have an active account, matched by email. */
export async function findActiveAccountIdByEmail(email: string | null | undefined): Promise<string | null> {
  if (!email) return null;
  const [user] = await getDb()
    .select({ id: users.id })
    .from(users)
    .where(sql`${users.email} = ${email.trim().toLowerCase()} and ${users.disabledAt} is null`)
    .limit(1);
  return user?.id ?? null;
}

/** True while nobody can sign in yet: the first-run /setup page is open only then. */
export async function needsSetup(): Promise<boolean> {
  const [row] = await getDb().select({ id: users.id }).from(users).where(sql`${users.email} is not null`).limit(1);
  return !row;
}
