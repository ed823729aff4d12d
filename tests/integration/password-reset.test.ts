/**
 * "Forgot password" end to end against a real PostgreSQL and a real SMTP server: the same answer
 * (and about the same time) for every address, one mail for an account (none for a stranger, none
 * twice within the limit), a link that works once within its hour, and a reset that ends every
 * session. Expired, used, forged and invitation links change nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditLog, passwordTokens, rateLimits, users } from '@/db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { getPasswordReset, issuePasswordReset, requestPasswordReset, resetPassword, RESET_HOURS, RESET_REQUESTS_PER_HOUR } from '@/lib/auth/password-reset';
import { requireViewer } from '@/lib/auth/viewer';
import { getSessionClaims } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { hashToken } from '@/lib/users/mutations';
import { requestPasswordResetAction } from '@/app/(auth)/forgot-password/actions';
import { resetDatabase } from '../support/db';
import { insertUser, refused, signInAs } from '../support/actors';
import { runDueJobs } from '../support/jobs';
import { cookieFor } from '../support/sessions';
import { startSmtpSink, type SmtpSink } from '../support/smtp-members';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
// The forgot-password form's request comes from one client address.
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'x-forwarded-for': '198.51.100.7' }) }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const CLIENT = { ip: '192.0.2.1' };
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a whole new pass phrase';
let hashed: Promise<string> | undefined;
const passwordHash = () => (hashed ??= hashPassword(PASSWORD));

let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // Before the first env(): lib/env.ts parses the environment once.
  process.env.SMTP_URL = smtp.url;
  expect(env().SMTP_URL).toBe(smtp.url);
});

afterAll(async () => {
  await smtp.close();
});

beforeEach(async () => {
  await resetDatabase();
  smtp.messages.length = 0;
  signInAs(null);
});

async function person(email: string, options: { disabled?: boolean; password?: boolean } = {}) {
  const user = await insertUser('author', { email, disabled: options.disabled });
  if (options.password !== false)
    await getDb()
      .update(users)
      .set({ passwordHash: await passwordHash() })
      .where(eq(users.id, user.id));
  return user;
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

/** The token of the reset link in a mail. */
function linkToken(body: string): string {
  const match = new RegExp(`${env().SITE_URL.replace(/[.:/]/g, '\\$&')}/reset-password/([A-Za-z0-9_-]{43})`).exec(body);
  if (!match) throw new Error(`no reset link in:\n${body}`);
  return match[1];
}

async function storedHash(userId: string) {
  const [row] = await getDb().select({ passwordHash: users.passwordHash, version: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return row;
}

describe('asking for a link', () => {
  it('gives the same answer for an unknown address, and sends it nothing; one mail for an account', async () => {
    const ada = await person('ada@example.test');
    const known = await requestPasswordResetAction(null, form({ email: 'Ada@Example.test' }));
    const unknown = await requestPasswordResetAction(null, form({ email: 'nobody@example.test' }));
    expect(known).toEqual(unknown);
    expect(known).toMatchObject({ ok: true });
    expect(smtp.messages).toHaveLength(0); // sent by the job, after the request
    await runDueJobs();
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.to).toEqual(['ada@example.test']);
    expect(mail.subject).toMatch(/^Reset your password/);
    const token = linkToken(mail.body);
    // Stored hashed, for an hour, as a reset (not an invitation).
    const [stored] = await getDb().select().from(passwordTokens).where(eq(passwordTokens.userId, ada.id));
    expect(stored).toMatchObject({ tokenHash: hashToken(token), purpose: 'reset', usedAt: null });
    const hours = (stored.expiresAt.getTime() - stored.createdAt.getTime()) / 3_600_000;
    expect(hours).toBeCloseTo(RESET_HOURS, 2);
    expect(JSON.stringify(await getDb().select().from(passwordTokens))).not.toContain(token);
  });

  it('sends nothing to a disabled account or one without a password (invited, or an imported byline)', async () => {
    await person('dee@example.test', { disabled: true });
    await person('invited@example.test', { password: false });
    for (const email of ['dee@example.test', 'invited@example.test']) await requestPasswordReset({ email }, CLIENT);
    await runDueJobs();
    expect(smtp.messages).toHaveLength(0);
    expect(await getDb().select().from(passwordTokens)).toHaveLength(0);
  });

  it('sends one mail per account per five minutes, however often it is asked', async () => {
    const ada = await person('ada@example.test');
    for (let i = 0; i < 3; i++) {
      await requestPasswordReset({ email: 'ada@example.test' }, CLIENT);
      await runDueJobs();
    }
    expect(smtp.messages).toHaveLength(1);
    // Once the window has passed, another.
    await getDb()
      .update(rateLimits)
      .set({ windowStartedAt: sql`now() - interval '6 minutes'` })
      .where(eq(rateLimits.key, `password-reset:${ada.id}`));
    await requestPasswordReset({ email: 'ada@example.test' }, CLIENT);
    await runDueJobs();
    expect(smtp.messages).toHaveLength(2);
  });

  it('one client address may ask for at most twenty links an hour, whatever the addresses (no mail spraying)', async () => {
    for (let i = 0; i < RESET_REQUESTS_PER_HOUR; i++) {
      expect(await requestPasswordResetAction(null, form({ email: `someone-${i}@example.test` }))).toMatchObject({ ok: true });
    }
    const refusedAnswer = await requestPasswordResetAction(null, form({ email: 'one-more@example.test' }));
    expect(refusedAnswer).toMatchObject({ ok: false, error: 'Too many requests from your network. Try again in an hour.' });
    // Another address is not affected.
    await requestPasswordReset({ email: 'elsewhere@example.test' }, { ip: '203.0.113.50' });
  });

  it('a malformed address is refused with a message about its form, not about any account', async () => {
    const answer = await requestPasswordResetAction(null, form({ email: 'not an address' }));
    expect(answer).toMatchObject({ ok: false, error: 'Enter a valid email address.' });
  });

  it('takes about as long for an unknown address as for a known one', async () => {
    await person('known@example.test');
    const median = async (email: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        await requestPasswordResetAction(null, form({ email }));
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[3];
    };
    await median('warm-up@example.test');
    const known = await median('known@example.test');
    const unknown = await median('unknown@example.test');
    expect(Math.abs(known - unknown)).toBeLessThan(100);
  });
});

describe('using the link', () => {
  async function mailedToken(email: string): Promise<string> {
    await requestPasswordReset({ email }, CLIENT);
    await runDueJobs();
    return linkToken(smtp.messages.at(-1)!.body);
  }

  it('works once: sets the password, ends every session, is audited; the second use changes nothing', async () => {
    const ada = await person('ada@example.test');
    const laptop = cookieFor(ada.id);
    const phone = cookieFor(ada.id);
    for (const cookie of [laptop, phone]) {
      vi.mocked(getSessionClaims).mockImplementation(cookie);
      expect((await requireViewer()).id).toBe(ada.id);
    }
    const token = await mailedToken('ada@example.test');
    expect(await getPasswordReset(token)).toEqual({ email: 'ada@example.test' });
    expect(await resetPassword({ token, password: NEW_PASSWORD })).toEqual({ email: 'ada@example.test' });

    const after = await storedHash(ada.id);
    expect(await verifyPassword(after.passwordHash, NEW_PASSWORD)).toBe(true);
    for (const cookie of [laptop, phone]) {
      vi.mocked(getSessionClaims).mockImplementation(cookie);
      await expect(requireViewer()).rejects.toThrow('You need to sign in.');
    }
    const audit = await getDb().select().from(auditLog).where(eq(auditLog.action, 'user.password_reset'));
    expect(audit).toMatchObject([{ actorId: ada.id, targetId: ada.id }]);

    expect(await getPasswordReset(token)).toBeNull();
    expect(await refused(() => resetPassword({ token, password: 'yet another pass phrase' }))).toBeInstanceOf(NotFoundError);
    expect(await storedHash(ada.id)).toEqual(after);
  });

  it('two submissions of one link at once: one wins', async () => {
    const ada = await person('ada@example.test');
    const token = await mailedToken('ada@example.test');
    const results = await Promise.allSettled([resetPassword({ token, password: NEW_PASSWORD }), resetPassword({ token, password: 'another pass phrase!' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await storedHash(ada.id)).version).toBe(2);
  });

  it('an expired link is refused and changes nothing', async () => {
    const ada = await person('ada@example.test');
    const token = await mailedToken('ada@example.test');
    await getDb()
      .update(passwordTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(passwordTokens.tokenHash, hashToken(token)));
    const before = await storedHash(ada.id);
    expect(await getPasswordReset(token)).toBeNull();
    expect(await refused(() => resetPassword({ token, password: NEW_PASSWORD }))).toBeInstanceOf(NotFoundError);
    expect(await storedHash(ada.id)).toEqual(before);
  });

  it('a forged link, a malformed one, or an invitation’s token are refused and change nothing', async () => {
    const ada = await person('ada@example.test');
    const invitation = randomBytes(32).toString('base64url');
    await getDb()
      .insert(passwordTokens)
      .values({ tokenHash: hashToken(invitation), userId: ada.id, expiresAt: sql`now() + interval '1 hour'` });
    const before = await storedHash(ada.id);
    for (const token of [randomBytes(32).toString('base64url'), 'short', `${'a'.repeat(42)}=`, invitation]) {
      expect(await getPasswordReset(token)).toBeNull();
      expect(await refused(() => resetPassword({ token, password: NEW_PASSWORD }))).toBeInstanceOf(NotFoundError);
    }
    expect(await storedHash(ada.id)).toEqual(before);
    // A weak new password with a good link: refused for the password, the link still unused.
    const token = await mailedToken('ada@example.test');
    expect(await refused(() => resetPassword({ token, password: 'short' }))).toBeInstanceOf(ValidationError);
    expect(await getPasswordReset(token)).toEqual({ email: 'ada@example.test' });
  });

  it('a reset link is not an invitation either', async () => {
    const { getInvite } = await import('@/lib/users/mutations');
    await person('ada@example.test');
    const token = await mailedToken('ada@example.test');
    expect(await getInvite(token)).toBeNull();
  });

  it('a link of an account disabled since it was sent is refused', async () => {
    const ada = await person('ada@example.test');
    const token = await mailedToken('ada@example.test');
    await getDb()
      .update(users)
      .set({ disabledAt: new Date() })
      .where(and(eq(users.id, ada.id)));
    expect(await getPasswordReset(token)).toBeNull();
    expect(await refused(() => resetPassword({ token, password: NEW_PASSWORD }))).toBeInstanceOf(NotFoundError);
  });
});

describe('a link made by an admin', () => {
  it('is for admins only, shown once (only its hash is stored), and works like a mailed one', async () => {
    const zed = await insertUser('admin');
    const ada = await person('ada@example.test');
    const editor = await insertUser('editor');
    signInAs(editor);
    expect(await refused(() => issuePasswordReset({ userId: ada.id }))).toBeInstanceOf(ForbiddenError);
    expect(await getDb().select().from(passwordTokens)).toHaveLength(0);

    signInAs(zed);
    const { token, email } = await issuePasswordReset({ userId: ada.id });
    expect(email).toBe('ada@example.test');
    const [stored] = await getDb().select().from(passwordTokens);
    expect(stored).toMatchObject({ tokenHash: hashToken(token), purpose: 'reset', userId: ada.id });
    const adaCookie = cookieFor(ada.id);
    vi.mocked(getSessionClaims).mockImplementation(adaCookie);
    await requireViewer();
    await resetPassword({ token, password: NEW_PASSWORD });
    await expect(requireViewer()).rejects.toThrow('You need to sign in.');
    expect(smtp.messages).toHaveLength(0);

    // A disabled account gets none.
    await getDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, ada.id));
    signInAs(zed);
    expect(await refused(() => issuePasswordReset({ userId: ada.id }))).toBeInstanceOf(NotFoundError);
  });
});
