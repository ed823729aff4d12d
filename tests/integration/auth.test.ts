/**
 * Sign-in and the viewer against a real PostgreSQL: one answer (null) in about the same time for every
 * way of failing, throttling that is just rows (so it survives restarts), an
 * audit trail, first-run setup, and role or disabled state taking effect on the very next request.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditLog, loginThrottle, users } from '@/db/schema';
import { findActiveAccountIdByEmail, needsSetup } from '@/lib/auth/accounts';
import { signInWithCredentials } from '@/lib/auth/two-factor-signin';
import { hashPassword } from '@/lib/auth/password';
import { retryAfterSeconds, throttleKeys } from '@/lib/auth/throttle';
import { PAIR_FREE_FAILURES as FREE_FAILURES } from '@/lib/auth/throttle-rules';
import { getViewer, requireViewer } from '@/lib/auth/viewer';
import { resetDatabase } from '../support/db';
import { insertUser, signInAs } from '../support/actors';

/** The credentials sign-in as the provider calls it, for an account without two-factor: the id, or null. */
async function authenticate(email: string, password: string, ip: string): Promise<{ id: string } | null> {
  const outcome = await signInWithCredentials({ email, password }, ip);
  return outcome.ok ? { id: outcome.id } : null;
}

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

const PASSWORD = 'correct horse battery staple';
const IP = '203.0.113.7';

// One argon2 hash for the whole file: hashing is deliberately slow.
let hashed: Promise<string> | undefined;
const passwordHash = () => (hashed ??= hashPassword(PASSWORD));

beforeEach(async () => {
  await resetDatabase();
  signInAs(null);
});

async function person(email: string, options: { disabled?: boolean; role?: 'author' | 'editor' } = {}) {
  const user = await insertUser(options.role ?? 'author', { email, disabled: options.disabled });
  await getDb()
    .update(users)
    .set({ passwordHash: await passwordHash() })
    .where(eq(users.id, user.id));
  return user;
}

async function throttleRow(key: string) {
  const [row] = await getDb().select().from(loginThrottle).where(eq(loginThrottle.key, key));
  return row;
}

async function fail(times: number, email: string, ip = IP) {
  for (let i = 0; i < times; i++) expect(await authenticate(email, 'wrong password!', ip)).toBeNull();
}

describe('signInWithCredentials (password only)', () => {
  it('gives the id for the right password, and null for every kind of failure', async () => {
    const ada = await person('ada@example.test');
    await person('dee@example.test', { disabled: true });
    expect(await authenticate('ada@example.test', PASSWORD, IP)).toEqual({ id: ada.id });
    // Email is matched case- and space-insensitively.
    expect(await authenticate('  Ada@Example.TEST ', PASSWORD, IP)).toEqual({ id: ada.id });
    expect(await authenticate('ada@example.test', 'not the password', IP)).toBeNull();
    expect(await authenticate('ada@example.test', `${PASSWORD} `, IP)).toBeNull();
    expect(await authenticate('nobody@example.test', PASSWORD, IP)).toBeNull();
    expect(await authenticate('dee@example.test', PASSWORD, IP)).toBeNull();
    expect(await authenticate('', '', IP)).toBeNull();
  });

  it('a person without a password (imported, or invited but not set up) cannot sign in with any password', async () => {
    await insertUser('author', { email: 'nopass@example.test' });
    expect(await authenticate('nopass@example.test', '', IP)).toBeNull();
    expect(await authenticate('nopass@example.test', 'not-a-password-anyone-has', IP)).toBeNull();
  });

  it('an unknown email takes about as long as a known email with a wrong password', async () => {
    await person('known@example.test');
    // Warm up both paths (the dummy hash for unknown emails is made on first use).
    await authenticate('unknown@example.test', 'x', '198.51.100.1');
    await authenticate('known@example.test', 'x', '198.51.100.1');
    const median = async (email: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await authenticate(email, `wrong-${i}`, `198.51.100.${10 + i}`);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2];
    };
    const unknown = await median('unknown@example.test');
    const known = await median('known@example.test');
    const ratio = unknown / known;
    expect(ratio, `unknown ${unknown.toFixed(0)} ms, known ${known.toFixed(0)} ms`).toBeGreaterThan(1 / 3);
    expect(ratio, `unknown ${unknown.toFixed(0)} ms, known ${known.toFixed(0)} ms`).toBeLessThan(3);
  });

  it('writes signin.failure and signin.success to the audit log, without the password', async () => {
    const ada = await person('ada@example.test');
    await authenticate('ada@example.test', 'wrong password!', IP);
    await authenticate('ghost@example.test', 'wrong password!', IP);
    await authenticate('ada@example.test', PASSWORD, IP);
    const rows = await getDb().select().from(auditLog).orderBy(auditLog.id);
    expect(rows.map((r) => [r.action, r.actorId, r.ip])).toEqual([
      ['signin.failure', ada.id, IP],
      ['signin.failure', null, IP],
      ['signin.success', ada.id, IP],
    ]);
    expect(rows[1].detail).toEqual({ email: 'ghost@example.test' });
    expect(JSON.stringify(rows)).not.toContain('wrong password');
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });
});

describe('throttling (the rules: tests/integration/throttle.test.ts)', () => {
  it('the throttle is rows in login_throttle, so it survives a restart', async () => {
    await fail(FREE_FAILURES, 'ada@example.test');
    const rows = await getDb()
      .select()
      .from(loginThrottle)
      .where(inArray(loginThrottle.key, throttleKeys('ada@example.test', IP)));
    expect(rows.map((row) => [row.key, row.failures])).toEqual(
      expect.arrayContaining([
        [`pair:ada@example.test|${IP}`, FREE_FAILURES],
        [`ip:${IP}`, FREE_FAILURES],
      ]),
    );
    expect(rows.find((row) => row.key.startsWith('pair:'))!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // A "restarted" process has nothing in memory: the answer comes from the table alone.
    vi.resetModules();
    const fresh = await import('@/lib/auth/throttle');
    expect(await fresh.retryAfterSeconds(fresh.throttleKeys(' ADA@example.test', IP))).toBeGreaterThan(0);
  });

  it("a quiet day forgets a pair's count", async () => {
    await fail(FREE_FAILURES, 'ada@example.test');
    await getDb()
      .update(loginThrottle)
      .set({ lastFailureAt: sql`now() - interval '25 hours'`, lockedUntil: sql`now() - interval '24 hours'` });
    expect(await retryAfterSeconds(throttleKeys('ada@example.test', IP))).toBe(0);
    await fail(1, 'ada@example.test');
    expect((await throttleRow(`pair:ada@example.test|${IP}`)).failures).toBe(1);
    expect(await retryAfterSeconds(throttleKeys('ada@example.test', IP))).toBe(0);
  });
});

describe('setup and the viewer', () => {
  it('needsSetup is true while only email-less imported authors exist, false once someone can sign in', async () => {
    expect(await needsSetup()).toBe(true);
    await insertUser('author', { email: null, name: 'Imported One' });
    await insertUser('author', { email: null, name: 'Imported Two' });
    expect(await needsSetup()).toBe(true);
    await insertUser('admin', { email: 'first@example.test' });
    expect(await needsSetup()).toBe(false);
  });

  it('an email-less imported author is never a viewer, even with a session naming them', async () => {
    const imported = await insertUser('author', { email: null });
    signInAs(imported);
    expect(await getViewer()).toBeNull();
    await expect(requireViewer()).rejects.toMatchObject({ name: 'AuthError' });
  });

  it('a session id that is not a uuid, or names nobody, gives no viewer', async () => {
    signInAs({ id: "x' or '1'='1" });
    expect(await getViewer()).toBeNull();
    signInAs({ id: '00000000-0000-4000-8000-000000000000' });
    expect(await getViewer()).toBeNull();
  });

  it('disabling a user takes effect on the very next getViewer, and so does a role change', async () => {
    const ada = await person('ada@example.test');
    signInAs(ada);
    expect(await getViewer()).toMatchObject({ id: ada.id, role: 'author', email: 'ada@example.test' });
    expect(Object.keys((await getViewer())!).sort()).toEqual(['email', 'id', 'name', 'role', 'slug']);

    await getDb().update(users).set({ role: 'editor' }).where(eq(users.id, ada.id));
    expect((await getViewer())!.role).toBe('editor');

    await getDb().execute(sql`update users set disabled_at = now() where id = ${ada.id}`);
    expect(await getViewer()).toBeNull();
    await expect(requireViewer()).rejects.toMatchObject({ name: 'AuthError' });
    expect(await findActiveAccountIdByEmail('ada@example.test')).toBeNull();
    // And the right password no longer signs them in.
    expect(await authenticate('ada@example.test', PASSWORD, IP)).toBeNull();

    await getDb().update(users).set({ disabledAt: null }).where(eq(users.id, ada.id));
    expect((await getViewer())!.id).toBe(ada.id);
  });
});
