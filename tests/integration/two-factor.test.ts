/**
 * Two-factor sign-in against a real PostgreSQL (issue 17): set up and confirm, the check at sign-in
 * (a TOTP code never twice, a recovery code once), wrong codes throttled like wrong passwords, the
 * site's requirement for admins and editors, turning it off, new recovery codes, and an admin's
 * reset that ends the person's sessions. Codes are computed here with otplib from the secret the
 * set-up shows, as an authenticator app would.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { generateSync } from 'otplib/functional';
import { getDb } from '@/db/client';
import { auditLog, loginThrottle, rateLimits, siteSettings, userRecoveryCodes, users } from '@/db/schema';
import { ForbiddenError, ValidationError } from '@/lib/auth/errors';
import { hashPassword } from '@/lib/auth/password';
import { retryAfterSeconds, throttleKeys } from '@/lib/auth/throttle';
import { PAIR_FREE_FAILURES, accountKey, ipKey, pairKey } from '@/lib/auth/throttle-rules';
import {
  WRONG_CHECKS_PER_WINDOW,
  checkCounterKey,
  confirmTwoFactor,
  consumeSecondFactor,
  disableTwoFactor,
  getMyTwoFactor,
  regenerateRecoveryCodes,
  startTwoFactor,
} from '@/lib/auth/two-factor';
import { getRequireTwoFactor, listTwoFactorUserIds, resetUserTwoFactor, setRequireTwoFactor } from '@/lib/auth/two-factor-admin';
import { TOTP_PERIOD, hashRecoveryCode } from '@/lib/auth/two-factor-crypto';
import { signInWithCredentials } from '@/lib/auth/two-factor-signin';
import { TwoFactorSetupRequiredError, getViewer, getViewerAccess, requireViewer } from '@/lib/auth/viewer';
import { listUsers } from '@/lib/users/admin-queries';
import { resetDatabase } from '../support/db';
import { insertUser, signInAs } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

const PASSWORD = 'correct horse battery staple';
const IP = '203.0.113.7';
let hashed: Promise<string> | undefined;
const passwordHash = () => (hashed ??= hashPassword(PASSWORD));

beforeEach(async () => {
  await resetDatabase();
  signInAs(null);
});

async function person(role: 'author' | 'editor' | 'admin' = 'author') {
  const user = await insertUser(role);
  await getDb()
    .update(users)
    .set({ passwordHash: await passwordHash() })
    .where(eq(users.id, user.id));
  return user;
}

/** The code an authenticator app shows `offset` steps from now. */
const codeAt = (secret: string, offset = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offset * TOTP_PERIOD, period: TOTP_PERIOD });

/** Sets up two-factor sign-in for `user` through the layer, as they would on /editor/account. */
async function enrol(user: { id: string }) {
  signInAs(user);
  await startTwoFactor();
  const { pending } = await getMyTwoFactor();
  const { recoveryCodes } = await confirmTwoFactor({ code: codeAt(pending!.secret) });
  return { secret: pending!.secret, recoveryCodes };
}

/** A sign-in as the route and authorize() answer it: 429 first, then the password and the code. */
async function signIn(email: string, password: string, code: string | undefined, ip = IP) {
  if ((await retryAfterSeconds(throttleKeys(email, ip))) > 0) return 429;
  const outcome = await signInWithCredentials({ email, password, code }, ip);
  return outcome.ok ? 200 : outcome.reason;
}

async function failures(key: string): Promise<number> {
  const [row] = await getDb().select({ failures: loginThrottle.failures }).from(loginThrottle).where(eq(loginThrottle.key, key));
  return row?.failures ?? 0;
}

async function auditActions(): Promise<string[]> {
  return (await getDb().select({ action: auditLog.action }).from(auditLog).orderBy(auditLog.id)).map((r) => r.action);
}

describe('setting up', () => {
  it('a pending secret (encrypted at rest) and a QR code made here; a wrong code is refused, a right one turns it on with ten hashed recovery codes', async () => {
    const ada = await person();
    signInAs(ada);
    expect(await getMyTwoFactor()).toMatchObject({ enabled: false, pending: null, required: false });
    await startTwoFactor();
    const { pending, enabled } = await getMyTwoFactor();
    expect(enabled).toBe(false);
    expect(pending!.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(pending!.uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(pending!.uri).toContain(encodeURIComponent(ada.email!).replace(/%40/, '%40'));
    expect(pending!.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(pending!.qrCode.split(',')[1], 'base64').toString()).toContain('<svg');
    const [row] = await getDb().select().from(users).where(eq(users.id, ada.id));
    expect(row.totpSecretEnc).toMatch(/^v1\./);
    expect(row.totpSecretEnc).not.toContain(pending!.secret);
    expect(row.totpEnabledAt).toBeNull();

    // A pending secret does not ask for a code at sign-in yet.
    expect(await signIn(ada.email!, PASSWORD, undefined)).toBe(200);

    const wrong = codeAt(pending!.secret, 10);
    await expect(confirmTwoFactor({ code: wrong })).rejects.toThrow(ValidationError);
    await expect(confirmTwoFactor({ code: 'abcdef' })).rejects.toThrow('Enter the six-digit code from your app.');
    const { recoveryCodes } = await confirmTwoFactor({ code: codeAt(pending!.secret) });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const stored = await getDb().select({ hash: userRecoveryCodes.codeHash }).from(userRecoveryCodes).where(eq(userRecoveryCodes.userId, ada.id));
    expect(stored.map((s) => s.hash).sort()).toEqual(recoveryCodes.map(hashRecoveryCode).sort());
    expect(await getMyTwoFactor()).toMatchObject({ enabled: true, pending: null, recoveryCodesLeft: 10 });
    await expect(startTwoFactor()).rejects.toThrow('already on');
    await expect(confirmTwoFactor({ code: codeAt(pending!.secret, 1) })).rejects.toThrow('already on');
    expect(await auditActions()).toEqual(['two-factor.start', 'signin.success', 'two-factor.enable']);
  });

  it('wrong codes at set-up are counted: past the limit even a right one waits', async () => {
    const ada = await person();
    signInAs(ada);
    await startTwoFactor();
    const { pending } = await getMyTwoFactor();
    for (let i = 0; i < WRONG_CHECKS_PER_WINDOW; i++) await expect(confirmTwoFactor({ code: codeAt(pending!.secret, 20 + i) })).rejects.toThrow('not right');
    await expect(confirmTwoFactor({ code: codeAt(pending!.secret) })).rejects.toThrow('Too many wrong codes');
    const [counter] = await getDb()
      .select()
      .from(rateLimits)
      .where(eq(rateLimits.key, checkCounterKey(ada.id)));
    expect(counter.hits).toBe(WRONG_CHECKS_PER_WINDOW);
    expect((await getMyTwoFactor()).enabled).toBe(false);
  });
});

describe('signing in', () => {
  it('a right password alone is not enough; a wrong code is refused; a code is never accepted twice, nor an older one', async () => {
    const ada = await person();
    const { secret } = await enrol(ada);
    await getDb().delete(auditLog);

    expect(await signIn(ada.email!, PASSWORD, undefined)).toBe('two-factor-required');
    expect(await signIn(ada.email!, PASSWORD, '')).toBe('two-factor-required');
    // Asking for the code counts as nothing.
    expect(await getDb().select().from(loginThrottle)).toEqual([]);

    expect(await signIn(ada.email!, PASSWORD, codeAt(secret, 30))).toBe('two-factor-invalid');
    // The set-up used this window's code: the next step's code (a phone a little ahead) signs in once.
    const next = codeAt(secret, 1);
    expect(await signIn(ada.email!, PASSWORD, next)).toBe(200);
    expect(await signIn(ada.email!, PASSWORD, next)).toBe('two-factor-invalid');
    expect(await signIn(ada.email!, PASSWORD, codeAt(secret, 0))).toBe('two-factor-invalid');
    expect(await signIn(ada.email!, PASSWORD, codeAt(secret, -1))).toBe('two-factor-invalid');

    // A wrong password with a right code: the password is checked first, and it is the usual answer.
    expect(await signIn(ada.email!, 'not the password', codeAt(secret, 1))).toBe('credentials');
    expect(await signIn('nobody@example.test', PASSWORD, codeAt(secret, 1))).toBe('credentials');

    const actions = await auditActions();
    expect(actions.filter((a) => a === 'signin.two-factor-failure')).toHaveLength(4);
    expect(actions.filter((a) => a === 'signin.success')).toHaveLength(1);
    const [success] = await getDb().select().from(auditLog).where(eq(auditLog.action, 'signin.success'));
    expect(success.detail).toEqual({ secondFactor: 'totp' });
  });

  it('two requests with the same code at once: exactly one gets in', async () => {
    const ada = await person();
    const { secret } = await enrol(ada);
    const code = codeAt(secret, 1);
    const outcomes = await Promise.all([consumeSecondFactor(ada.id, code), consumeSecondFactor(ada.id, code), consumeSecondFactor(ada.id, code)]);
    expect(outcomes.filter((o) => o === 'totp')).toHaveLength(1);
    expect(outcomes.filter((o) => o === null)).toHaveLength(2);
  });

  it('a recovery code works once, however it is typed; the others still work', async () => {
    const ada = await person();
    const { recoveryCodes } = await enrol(ada);
    const [first, second] = recoveryCodes;
    expect(await signIn(ada.email!, PASSWORD, first)).toBe(200);
    expect(await signIn(ada.email!, PASSWORD, first)).toBe('two-factor-invalid');
    expect(await signIn(ada.email!, PASSWORD, ` ${second.replaceAll('-', '').toUpperCase()} `)).toBe(200);
    expect(await signIn(ada.email!, PASSWORD, second)).toBe('two-factor-invalid');
    // Someone else's recovery code is nothing here.
    const bob = await person();
    const bobs = await enrol(bob);
    expect(await signIn(ada.email!, PASSWORD, bobs.recoveryCodes[0])).toBe('two-factor-invalid');
    signInAs(ada);
    expect((await getMyTwoFactor()).recoveryCodesLeft).toBe(8);
    const [success] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'signin.success'), eq(auditLog.actorId, ada.id)));
    expect(success.detail).toEqual({ secondFactor: 'recovery' });
  });

  it('wrong codes are throttled exactly like wrong passwords: the pair locks, and a right password in between does not clear it', async () => {
    const ada = await person();
    const { secret } = await enrol(ada);
    const wrong = (i: number) => codeAt(secret, 40 + i);
    for (let i = 0; i < PAIR_FREE_FAILURES - 1; i++) {
      expect(await signIn(ada.email!, PASSWORD, wrong(i))).toBe('two-factor-invalid');
      // The code prompt (right password, no code) between guesses clears nothing.
      expect(await signIn(ada.email!, PASSWORD, undefined)).toBe('two-factor-required');
    }
    expect(await signIn(ada.email!, PASSWORD, wrong(9))).toBe('two-factor-invalid');
    expect(await failures(pairKey(ada.email!, IP))).toBe(PAIR_FREE_FAILURES);
    expect(await failures(ipKey(IP))).toBe(PAIR_FREE_FAILURES);
    expect(await failures(accountKey(ada.email!))).toBe(PAIR_FREE_FAILURES);
    // Locked from this address, even with the right code (the route answers 429 before any check)…
    expect(await signIn(ada.email!, PASSWORD, codeAt(secret, 1))).toBe(429);
    expect(await retryAfterSeconds(throttleKeys(ada.email!, IP))).toBeGreaterThan(0);
    const locks = await getDb().select().from(auditLog).where(eq(auditLog.action, 'signin.lock'));
    expect(locks.map((l) => l.targetId)).toEqual([pairKey(ada.email!, IP)]);
    // …but not from another address, where the owner signs in, which clears only that pair.
    expect(await signIn(ada.email!, PASSWORD, codeAt(secret, 1), '198.51.100.9')).toBe(200);
    expect(await failures(pairKey(ada.email!, IP))).toBe(PAIR_FREE_FAILURES);
  });
});

describe('the site requires two-factor sign-in for admins and editors', () => {
  it('an admin cannot turn it on without their own; once on, an editor without it can do nothing but set it up', async () => {
    const admin = await person('admin');
    const editor = await person('editor');
    const author = await person('author');
    signInAs(admin);
    await expect(setRequireTwoFactor({ required: true })).rejects.toThrow('Set up two-factor sign-in for yourself first');
    expect(await getRequireTwoFactor()).toBe(false);
    await enrol(admin);
    expect(await setRequireTwoFactor({ required: true })).toEqual({ changed: true });
    expect(await setRequireTwoFactor({ required: true })).toEqual({ changed: false });
    expect(await getRequireTwoFactor()).toBe(true);
    const [row] = await getDb().select().from(siteSettings);
    expect(row.requireTwoFactor).toBe(true);
    // The admin, who has it, goes on.
    expect((await requireViewer()).id).toBe(admin.id);
    expect((await listUsers()).length).toBe(3);

    signInAs(editor);
    expect(await getViewerAccess()).toMatchObject({ viewer: { id: editor.id }, mustSetUpTwoFactor: true });
    await expect(requireViewer()).rejects.toThrow(TwoFactorSetupRequiredError);
    await expect(requireViewer()).rejects.toThrow(ForbiddenError);
    await expect(listUsers()).rejects.toThrow('Two-factor sign-in is required for admins and editors on this site: set it up on your account page first.');
    // Setting it up is open to them.
    expect(await getMyTwoFactor()).toMatchObject({ required: true, enabled: false });
    await enrol(editor);
    expect(await getViewerAccess()).toMatchObject({ mustSetUpTwoFactor: false });
    expect((await listUsers()).length).toBe(3);

    // Authors and contributors are not asked.
    signInAs(author);
    expect(await getViewerAccess()).toMatchObject({ viewer: { id: author.id }, mustSetUpTwoFactor: false });
    await expect(listUsers()).rejects.toThrow('You are not allowed to do that.');

    // Only admins change the setting.
    signInAs(editor);
    await expect(setRequireTwoFactor({ required: false })).rejects.toThrow(ForbiddenError);
    signInAs(admin);
    expect(await setRequireTwoFactor({ required: false })).toEqual({ changed: true });
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, 'settings.require-two-factor')).orderBy(auditLog.id);
    expect(audit.map((a) => a.detail)).toEqual([{ required: true }, { required: false }]);
  });
});

describe('turning it off and new recovery codes', () => {
  it('need the current password or a code; wrong ones are counted; old recovery codes stop working', async () => {
    const ada = await person();
    const { secret, recoveryCodes } = await enrol(ada);
    await expect(regenerateRecoveryCodes({})).rejects.toThrow('Enter your password or a code from your app.');
    await expect(regenerateRecoveryCodes({ password: 'wrong password' })).rejects.toThrow('That password or code is not right.');
    const { recoveryCodes: fresh } = await regenerateRecoveryCodes({ code: codeAt(secret, 1) });
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);
    expect(await signIn(ada.email!, PASSWORD, recoveryCodes[2])).toBe('two-factor-invalid');
    expect(await signIn(ada.email!, PASSWORD, fresh[0])).toBe(200);

    await expect(disableTwoFactor({ code: '000000' })).rejects.toThrow('That password or code is not right.');
    await expect(disableTwoFactor({ password: 'not the password', code: '' })).rejects.toThrow('That password or code is not right.');
    const [counter] = await getDb()
      .select()
      .from(rateLimits)
      .where(eq(rateLimits.key, checkCounterKey(ada.id)));
    expect(counter.hits).toBe(3);
    expect((await getMyTwoFactor()).enabled).toBe(true);
    await disableTwoFactor({ password: PASSWORD });
    const [row] = await getDb().select().from(users).where(eq(users.id, ada.id));
    expect({ secret: row.totpSecretEnc, enabledAt: row.totpEnabledAt, lastStep: row.totpLastStep }).toEqual({ secret: null, enabledAt: null, lastStep: null });
    expect(await getDb().select().from(userRecoveryCodes).where(eq(userRecoveryCodes.userId, ada.id))).toEqual([]);
    expect(await signIn(ada.email!, PASSWORD, undefined)).toBe(200);
    await expect(disableTwoFactor({ password: PASSWORD })).rejects.toThrow('Two-factor sign-in is not on.');
    const actions = await auditActions();
    expect(actions).toEqual(expect.arrayContaining(['two-factor.recovery-codes', 'two-factor.disable']));
  });
});

describe('an admin resets someone’s two-factor sign-in', () => {
  it('removes it, ends every session of theirs at once, and is in the audit log; only admins, never their own', async () => {
    const admin = await person('admin');
    const editor = await person('editor');
    await enrol(editor);
    signInAs(editor);
    expect((await getViewer())?.id).toBe(editor.id);
    const editorsCookie = vi.mocked((await import('@/lib/auth/session')).getSessionClaims).getMockImplementation()!;

    // Not for editors (even with two-factor on), and not for one's own.
    await expect(resetUserTwoFactor({ userId: admin.id })).rejects.toThrow(ForbiddenError);
    signInAs(admin);
    expect(await listTwoFactorUserIds()).toEqual([editor.id]);
    await expect(resetUserTwoFactor({ userId: admin.id })).rejects.toThrow('Turn your own two-factor sign-in off on your account page.');
    await expect(resetUserTwoFactor({ userId: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow('No such user.');

    expect(await resetUserTwoFactor({ userId: editor.id })).toEqual({ name: editor.name });
    const [row] = await getDb().select().from(users).where(eq(users.id, editor.id));
    expect(row.totpEnabledAt).toBeNull();
    expect(row.totpSecretEnc).toBeNull();
    expect(row.sessionVersion).toBe(2);
    expect(
      await getDb()
        .select()
        .from(userRecoveryCodes)
        .where(inArray(userRecoveryCodes.userId, [editor.id])),
    ).toEqual([]);
    await expect(resetUserTwoFactor({ userId: editor.id })).rejects.toThrow('has no two-factor sign-in');
    const [audit] = await getDb().select().from(auditLog).where(eq(auditLog.action, 'two-factor.reset'));
    expect(audit).toMatchObject({ actorId: admin.id, targetType: 'user', targetId: editor.id, detail: { wasOn: true } });

    // The editor's cookie from before is dead.
    vi.mocked((await import('@/lib/auth/session')).getSessionClaims).mockImplementation(editorsCookie);
    expect(await getViewer()).toBeNull();
    // And their password alone signs them in again.
    expect(await signIn(editor.email!, PASSWORD, undefined)).toBe(200);
  });
});
