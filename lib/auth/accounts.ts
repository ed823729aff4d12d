import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';

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
  const [row] = await getDb()
    .select({ id: users.id })
    .from(users)
    .where(sql`${users.email} is not null`)
    .limit(1);
  return !row;
}
