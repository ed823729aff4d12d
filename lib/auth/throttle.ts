import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { loginThrottle } from '@/db/schema';

/**
 * Sign-in throttling per account and per IP, in PostgreSQL so it holds across restarts and
 * instances. Five failures are free; after that each failure doubles the wait (30 s, 1 min, 2 min…,
 * at most an hour). A quiet day forgets the count.
 */
export const FREE_FAILURES = 5;
const BASE_WAIT_SECONDS = 30;
const MAX_WAIT_SECONDS = 3_600;

export function throttleKeys(email: string, ip: string): string[] {
  return [`email:${email.trim().toLowerCase()}`, `ip:${ip}`];
}

export function waitAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_WAIT_SECONDS, BASE_WAIT_SECONDS * 2 ** (failures - FREE_FAILURES));
}

/** Seconds until these keys may try again (0 = now). */
export async function retryAfterSeconds(keys: string[]): Promise<number> {
  const rows = await getDb()
    .select({ lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, keys));
  const now = Date.now();
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

export async function recordFailure(keys: string[]): Promise<void> {
  const db = getDb();
  for (const key of keys) {
    const result = await db.execute<{ failures: number }>(sql`
      insert into ${loginThrottle} (key, failures, last_failure_at) values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when ${loginThrottle.lastFailureAt} < now() - interval '1 day' then 1
                        else ${loginThrottle.failures} + 1 end,
        last_failure_at = now()
      returning failures`);
    const wait = waitAfter(Number(result.rows[0].failures));
    if (wait > 0) {
      await db
        .update(loginThrottle)
        .set({ lockedUntil: sql`now() + make_interval(secs => ${wait})` })
        .where(eq(loginThrottle.key, key));
    }
  }
}

/** A successful sign-in clears the account's count (not the IP's: one good password must not reset a spray). */
export async function recordSuccess(email: string): Promise<void> {
  await getDb()
    .delete(loginThrottle)
    .where(inArray(loginThrottle.key, [`email:${email.trim().toLowerCase()}`]));
}
