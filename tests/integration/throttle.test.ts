/**
 * Fair sign-in throttling against a real PostgreSQL (rules in lib/auth/throttle-rules.ts): a tight
 * limit per account+address, a generous one per address, and per account only a slowing the owner
 * passes. `signIn` does what the route and authorize() do together: 429 first, then the password.
 * Bulk attacks go through `attack`, which is the failure path of signInWithCredentials() without the argon2
 * work and the slowing's second (recordFailure), so thirty addresses take milliseconds, not minutes.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eq, like, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditLog, loginThrottle, users } from '@/db/schema';
import { signInWithCredentials } from '@/lib/auth/two-factor-signin';
import { hashPassword } from '@/lib/auth/password';
import { recordFailure, retryAfterSeconds, throttleKeys } from '@/lib/auth/throttle';
import { clearThrottle, listThrottles } from '@/lib/auth/throttle-admin';
import {
  ACCOUNT_FAILURES_PER_HOUR,
  ACCOUNT_SLOWDOWN_MS,
  ADDRESS_FAILURES_PER_HOUR,
  PAIR_FREE_FAILURES,
  accountKey,
  ipKey,
  pairKey,
} from '@/lib/auth/throttle-rules';
import { resetDatabase } from '../support/db';
import { insertUser, signInAs } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

const PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | undefined;
const passwordHash = () => (hashed ??= hashPassword(PASSWORD));

beforeEach(async () => {
  await resetDatabase();
  signInAs(null);
});

async function person(email: string, role: 'author' | 'editor' | 'admin' = 'author') {
  const user = await insertUser(role, { email });
  await getDb()
    .update(users)
    .set({ passwordHash: await passwordHash() })
    .where(eq(users.id, user.id));
  return user;
}

type Answer = { status: 200 | 401 | 429; wait?: number; ms: number };

/** A sign-in as the route and authorize() answer it. */
async function signIn(email: string, password: string, ip: string): Promise<Answer> {
  const started = performance.now();
  const wait = await retryAfterSeconds(throttleKeys(email, ip));
  if (wait > 0) return { status: 429, wait, ms: performance.now() - started };
  const outcome = await signInWithCredentials({ email, password }, ip);
  return { status: outcome.ok ? 200 : 401, ms: performance.now() - started };
}

/** `tries` wrong passwords from one address, each refused with 429 when a wait is in force; returns the statuses. */
async function attack(email: string, ip: string, tries: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < tries; i++) {
    if ((await retryAfterSeconds(throttleKeys(email, ip))) > 0) statuses.push(429);
    else {
      await recordFailure(email, ip);
      statuses.push(401);
    }
  }
  return statuses;
}

async function row(key: string) {
  const [found] = await getDb().select().from(loginThrottle).where(eq(loginThrottle.key, key));
  return found;
}

/** Pretends a key's wait has passed (the clock is the database's). */
async function expire(key: string) {
  await getDb()
    .update(loginThrottle)
    .set({ lockedUntil: sql`now() - interval '1 second'` })
    .where(eq(loginThrottle.key, key));
}

const audits = (action: string) => getDb().select().from(auditLog).where(eq(auditLog.action, action)).orderBy(auditLog.id);

describe('per account and address', () => {
  it('after six failures for X from address A, a different person Y signs in from A (and X from B)', async () => {
    await person('x@example.test');
    const y = await person('y@example.test');
    const statuses: number[] = [];
    for (let n = 1; n <= PAIR_FREE_FAILURES + 1; n++) statuses.push((await signIn('x@example.test', `wrong ${n}`, '192.0.2.1')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // X from A waits 30 s, doubling; the right password does not get through the pair's wait either.
    const locked = await signIn('x@example.test', PASSWORD, '192.0.2.1');
    expect(locked.status).toBe(429);
    expect(locked.wait).toBeGreaterThan(0);
    expect(locked.wait).toBeLessThanOrEqual(30);

    const other = await signIn('y@example.test', PASSWORD, '192.0.2.1');
    expect(other.status).toBe(200);
    expect(await signInWithCredentials({ email: 'y@example.test', password: PASSWORD }, '192.0.2.1')).toEqual({ ok: true, id: y.id });
    expect((await signIn('x@example.test', PASSWORD, '198.51.100.2')).status).toBe(200);
    // The lock is audited with its key and wait, never the password.
    const locks = await audits('signin.lock');
    expect(locks.map((a) => [a.targetId, a.detail])).toEqual([[pairKey('x@example.test', '192.0.2.1'), { failures: 5, waitSeconds: 30 }]]);
    expect(JSON.stringify(await getDb().select().from(auditLog))).not.toMatch(/wrong \d|correct horse/);
  });

  it('each further failure after a wait doubles it; a success clears the pair only', async () => {
    await person('x@example.test');
    await attack('x@example.test', '192.0.2.1', PAIR_FREE_FAILURES);
    const pair = pairKey('x@example.test', '192.0.2.1');
    await expire(pair);
    expect((await signIn('x@example.test', 'wrong again', '192.0.2.1')).status).toBe(401);
    const wait = await retryAfterSeconds(throttleKeys('x@example.test', '192.0.2.1'));
    expect(wait).toBeGreaterThan(30);
    expect(wait).toBeLessThanOrEqual(60);
    await expire(pair);
    expect((await signIn('x@example.test', PASSWORD, '192.0.2.1')).status).toBe(200);
    expect(await row(pair)).toBeUndefined();
    expect((await row(ipKey('192.0.2.1'))).failures).toBe(PAIR_FREE_FAILURES + 1);
    expect((await row(accountKey('x@example.test'))).failures).toBe(PAIR_FREE_FAILURES + 1);
  });
});

describe('an attacker cannot lock the owner out', () => {
  it('failures on the admin account from A1..A30 never stop the admin signing in with the right password from B', async () => {
    const admin = await person('admin@example.test', 'admin');
    for (let i = 1; i <= 30; i++) {
      const statuses = await attack('admin@example.test', `203.0.113.${i}`, 8);
      // Every attacking address is stopped by its own pair's wait, some after one failure.
      expect(statuses.at(-1)).toBe(429);
    }
    expect((await row(accountKey('admin@example.test'))).failures).toBeGreaterThan(ACCOUNT_FAILURES_PER_HOUR);
    // The account itself is never locked, so no 429 for the admin's own address.
    expect((await row(accountKey('admin@example.test'))).lockedUntil).toBeNull();
    expect(await retryAfterSeconds(throttleKeys('admin@example.test', '198.51.100.9'))).toBe(0);
    const owner = await signIn('admin@example.test', PASSWORD, '198.51.100.9');
    expect(owner.status).toBe(200);
    // The slowing is for failures: the right password is answered without it.
    expect(owner.ms).toBeLessThan(ACCOUNT_SLOWDOWN_MS);
    expect(await signInWithCredentials({ email: 'admin@example.test', password: PASSWORD }, '198.51.100.10')).toEqual({ ok: true, id: admin.id });
  });
});

describe('password spraying', () => {
  it('one address failing across 120 accounts is locked at the address limit, other addresses are not', async () => {
    await person('victim-7@example.test');
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) statuses.push(...(await attack(`victim-${i}@example.test`, '192.0.2.66', 1)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(ADDRESS_FAILURES_PER_HOUR);
    expect(statuses.slice(ADDRESS_FAILURES_PER_HOUR).every((s) => s === 429)).toBe(true);
    // Locked for the hour, for any account, even with a right password.
    const refused = await signIn('victim-7@example.test', PASSWORD, '192.0.2.66');
    expect(refused.status).toBe(429);
    expect(refused.wait).toBeGreaterThan(3_500);
    expect((await audits('signin.lock')).map((a) => a.targetId)).toEqual([ipKey('192.0.2.66')]);
    // Every other address: nothing changed, the sprayed accounts included.
    expect((await signIn('victim-7@example.test', PASSWORD, '192.0.2.67')).status).toBe(200);
    expect(await retryAfterSeconds(throttleKeys('victim-3@example.test', '192.0.2.67'))).toBe(0);
  });
});

describe('a distributed attack on one account', () => {
  it('every attacking pair waits on its own, doubling; past 20 failures the account slows failures; the owner still gets in', async () => {
    await person('owner@example.test');
    // Four addresses use their five free failures each: twenty, the account is not under attack yet.
    for (let i = 1; i <= 4; i++) expect(await attack('owner@example.test', `203.0.113.${i}`, 6)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await audits('signin.slowdown')).toHaveLength(0);
    // Each pair's own wait doubles after its wait passes and it fails again.
    await expire(pairKey('owner@example.test', '203.0.113.1'));
    await attack('owner@example.test', '203.0.113.1', 1);
    const doubled = await retryAfterSeconds(throttleKeys('owner@example.test', '203.0.113.1'));
    expect(doubled).toBeGreaterThan(30);
    expect(await audits('signin.slowdown')).toHaveLength(1);
    // Other pairs are untouched by that: still their first wait.
    expect(await retryAfterSeconds(throttleKeys('owner@example.test', '203.0.113.2'))).toBeLessThanOrEqual(30);

    // Now under attack: a new address gets one free failure, answered a second late.
    const slowed = await signIn('owner@example.test', 'guess', '203.0.113.50');
    expect(slowed.status).toBe(401);
    expect(slowed.ms).toBeGreaterThanOrEqual(ACCOUNT_SLOWDOWN_MS);
    const next = await signIn('owner@example.test', 'guess 2', '203.0.113.50');
    expect(next.status).toBe(429);
    expect(next.wait).toBeLessThanOrEqual(30);

    // The owner, from an address with no failures on the account, gets in at once.
    const owner = await signIn('owner@example.test', PASSWORD, '198.51.100.77');
    expect(owner.status).toBe(200);
    expect(owner.ms).toBeLessThan(ACCOUNT_SLOWDOWN_MS);
    // Another account from an attacking address is unaffected (the address is far from its limit).
    await person('bystander@example.test');
    expect((await signIn('bystander@example.test', PASSWORD, '203.0.113.1')).status).toBe(200);
  });
});

describe('admins see and clear throttles', () => {
  it('lists locks and counts for admins; a clear removes the wait and is audited; others are refused and change nothing', async () => {
    const admin = await person('boss@example.test', 'admin');
    const editor = await person('ed@example.test', 'editor');
    const author = await person('au@example.test');
    await attack('au@example.test', '192.0.2.5', PAIR_FREE_FAILURES);
    const pair = pairKey('au@example.test', '192.0.2.5');

    for (const who of [null, author, editor]) {
      signInAs(who);
      await expect(listThrottles()).rejects.toMatchObject({ name: who ? 'ForbiddenError' : 'AuthError' });
      await expect(clearThrottle(pair)).rejects.toMatchObject({ name: who ? 'ForbiddenError' : 'AuthError' });
    }
    expect((await row(pair)).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await audits('signin.throttle-clear')).toHaveLength(0);

    signInAs(admin);
    const listed = await listThrottles();
    expect(listed.map((t) => [t.key, t.kind, t.failures, t.state])).toEqual([[pair, 'pair', 5, 'locked'], expect.anything(), expect.anything()]);
    expect(listed.find((t) => t.key === accountKey('au@example.test'))).toMatchObject({ kind: 'account', state: 'counting', subject: 'au@example.test' });
    expect(listed.find((t) => t.key === ipKey('192.0.2.5'))).toMatchObject({ kind: 'ip', state: 'counting' });
    expect(listed[0].subject).toBe('au@example.test from 192.0.2.5');
    expect(Object.keys(listed[0]).sort()).toEqual(['failures', 'key', 'kind', 'lastFailureAt', 'lockedUntil', 'state', 'subject']);

    await clearThrottle(pair);
    expect(await row(pair)).toBeUndefined();
    expect((await signIn('au@example.test', PASSWORD, '192.0.2.5')).status).toBe(200);
    const clears = await audits('signin.throttle-clear');
    expect(clears.map((a) => [a.actorId, a.targetId])).toEqual([[admin.id, pair]]);
    await expect(clearThrottle(pair)).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(await audits('signin.throttle-clear')).toHaveLength(1);
    // Stale keys of the old scheme are not shown.
    await getDb().insert(loginThrottle).values({ key: 'email:old@example.test', failures: 9 });
    expect((await listThrottles()).some((t) => t.key.startsWith('email:'))).toBe(false);
    expect(await getDb().select().from(loginThrottle).where(like(loginThrottle.key, 'pair:%'))).toHaveLength(0);
  });
});
