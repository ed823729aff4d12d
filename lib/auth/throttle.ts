import 'server-only';
import { eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { loginThrottle } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import {
  ACCOUNT_FAILURES_PER_HOUR,
  ACCOUNT_SLOWDOWN_MS,
  accountKey,
  accountUnderAttack,
  addressWait,
  drainPerHour,
  ipKey,
  pairKey,
  pairWait,
  type ThrottleKind,
} from './throttle-rules';

/**
 * Sign-in throttling per account+address pair, per address and per account (the rules, and why,
 * are in ./throttle-rules.ts), in PostgreSQL so it holds across restarts and instances.
 */
export { throttleKeys } from './throttle-rules';

/** Seconds until these keys may try again (0 = now). */
export async function retryAfterSeconds(keys: string[]): Promise<number> {
  const rows = await getDb().select({ lockedUntil: loginThrottle.lockedUntil }).from(loginThrottle).where(inArray(loginThrottle.key, keys));
  const now = Date.now();
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/** Adds one failure to a key and returns its count: pairs forget after a quiet day, the others drain at their hourly limit. */
async function count(key: string, kind: ThrottleKind): Promise<number> {
  const perHour = drainPerHour(kind);
  const next =
    kind === 'pair'
      ? sql`case when ${loginThrottle.lastFailureAt} < now() - interval '1 day' then 1 else ${loginThrottle.failures} + 1 end`
      : sql`greatest(0, ${loginThrottle.failures} - floor(extract(epoch from now() - ${loginThrottle.lastFailureAt}) * ${perHour}::int / 3600)::int) + 1`;
  const result = await getDb().execute<{ failures: number }>(sql`
    insert into ${loginThrottle} (key, failures, last_failure_at) values (${key}, 1, now())
    on conflict (key) do update set failures = ${next}, last_failure_at = now()
    returning failures`);
  return Number(result.rows[0].failures);
}

/** Makes the key wait `seconds` from now; every lock is in the audit log (the key, never the password). */
async function lock(key: string, failures: number, seconds: number, ip: string): Promise<void> {
  await getDb()
    .update(loginThrottle)
    .set({ lockedUntil: sql`now() + make_interval(secs => ${seconds})` })
    .where(eq(loginThrottle.key, key));
  await recordAudit({ actorId: null, action: 'signin.lock', targetType: 'login_throttle', targetId: key, detail: { failures, waitSeconds: seconds }, ip });
}

/**
 * Counts a failed sign-in for the account, the pair and the address, locks what reached a wait, and
 * returns how long to hold the answer back (the account's slowing while it is under attack).
 */
export async function recordFailure(email: string, ip: string): Promise<{ slowdownMs: number }> {
  const account = accountKey(email);
  const accountLevel = await count(account, 'account');
  const underAttack = accountUnderAttack(accountLevel);
  if (accountLevel === ACCOUNT_FAILURES_PER_HOUR + 1) {
    await recordAudit({ actorId: null, action: 'signin.slowdown', targetType: 'login_throttle', targetId: account, detail: { failures: accountLevel }, ip });
  }
  const pair = pairKey(email, ip);
  const pairFailures = await count(pair, 'pair');
  const pairSeconds = pairWait(pairFailures, underAttack);
  if (pairSeconds > 0) await lock(pair, pairFailures, pairSeconds, ip);
  const address = ipKey(ip);
  const addressLevel = await count(address, 'ip');
  const addressSeconds = addressWait(addressLevel);
  if (addressSeconds > 0) await lock(address, addressLevel, addressSeconds, ip);
  return { slowdownMs: underAttack ? ACCOUNT_SLOWDOWN_MS : 0 };
}

/**
 * A successful sign-in clears its pair only: not the address (one good password must not reset a
 * spray) and not the account (the attack on it goes on whoever signs in).
 */
export async function recordSuccess(email: string, ip: string): Promise<void> {
  await getDb()
    .delete(loginThrottle)
    .where(eq(loginThrottle.key, pairKey(email, ip)));
}
