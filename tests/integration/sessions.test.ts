/**
 * Sessions against a real PostgreSQL, through next-auth's own callbacks and JWT encoding: a cookie is
 * signed exactly as the sign-in route signs it, and every "request" decodes it and runs the real
 * viewer check. Only reading the cookie from a request is stood in for (there is no request here).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { decode, encode, type JWT } from 'next-auth/jwt';
import { getDb } from '@/db/client';
import { auditLog, userSessions, users } from '@/db/schema';
import { claimsOf } from '@/lib/auth/claims';
import { AuthError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { getAuthOptions } from '@/lib/auth/options';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { WRONG_CURRENT_PER_WINDOW, changeOwnPassword } from '@/lib/auth/password-change';
import { getSessionClaims } from '@/lib/auth/session';
import { endSession, endSessions, endUserSessions, listMySessions } from '@/lib/auth/sessions';
import { getViewer, requireViewer } from '@/lib/auth/viewer';
import { env } from '@/lib/env';
import { changeRole, setUserDisabled } from '@/lib/users/mutations';
import { resetDatabase } from '../support/db';
import { insertUser, refused, signInAs } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

const PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | undefined;
const passwordHash = () => (hashed ??= hashPassword(PASSWORD));

beforeEach(async () => {
  await resetDatabase();
  signInAs(null);
});

async function person(role: 'author' | 'admin' = 'author') {
  const user = await insertUser(role);
  await getDb()
    .update(users)
    .set({ passwordHash: await passwordHash() })
    .where(eq(users.id, user.id));
  return user;
}

/** A session cookie as the credentials sign-in issues it (the jwt callback, then next-auth's encoding). */
async function signIn(userId: string): Promise<string> {
  const jwt = getAuthOptions().callbacks!.jwt!;
  const token = await jwt({
    token: { sub: userId, name: 'from the provider', email: 'provider@example.test' },
    user: { id: userId },
    account: { provider: 'credentials', type: 'credentials', providerAccountId: userId },
  } as Parameters<typeof jwt>[0]);
  return encode({ token, secret: env().AUTH_SECRET });
}

async function tokenOf(cookie: string): Promise<JWT> {
  const token = await decode({ token: cookie, secret: env().AUTH_SECRET });
  if (!token) throw new Error('the cookie does not decode');
  return token;
}

/** The next requests carry this cookie (next-auth's session callback, as getServerSession runs it). */
function sendCookie(cookie: string) {
  vi.mocked(getSessionClaims).mockImplementation(async () => {
    const token = await tokenOf(cookie);
    const session = await getAuthOptions().callbacks!.session!({ session: { expires: '' }, token } as never);
    return claimsOf((session as { user?: unknown }).user);
  });
}

async function viewerWith(cookie: string) {
  sendCookie(cookie);
  return getViewer();
}

describe('the cookie', () => {
  it('carries only the user, the session and the version: nothing from the provider', async () => {
    const ada = await person();
    const token = await tokenOf(await signIn(ada.id));
    const [row] = await getDb().select().from(userSessions).where(eq(userSessions.userId, ada.id));
    expect({ sub: token.sub, sid: token.sid, sv: token.sv }).toEqual({ sub: ada.id, sid: row.id, sv: 1 });
    expect(Object.keys(token).sort()).toEqual(['exp', 'iat', 'jti', 'sid', 'sub', 'sv']);
    expect((await viewerWith(await signIn(ada.id)))?.id).toBe(ada.id);
  });

  it('a disabled account gets no session at sign-in', async () => {
    const dee = await insertUser('author', { disabled: true });
    const token = await tokenOf(await signIn(dee.id));
    expect(token.sid).toBeUndefined();
    expect(await getDb().select().from(userSessions)).toHaveLength(0);
  });

  it('a cookie of the old shape (only a user id), a forged session id or another user’s session is refused', async () => {
    const ada = await person();
    const bob = await person();
    const bobs = await tokenOf(await signIn(bob.id));
    const forge = async (token: JWT) => viewerWith(await encode({ token, secret: env().AUTH_SECRET }));
    expect(await forge({ sub: ada.id })).toBeNull();
    expect(await forge({ sub: ada.id, sid: crypto.randomUUID(), sv: 1 })).toBeNull();
    expect(await forge({ sub: ada.id, sid: bobs.sid, sv: 1 })).toBeNull();
    expect(await forge({ sub: ada.id, sid: 'not-a-uuid', sv: 1 })).toBeNull();
    // Signed with another secret: next-auth itself refuses it.
    const foreign = await encode({ token: { sub: bob.id, sid: bobs.sid, sv: 1 }, secret: 'x'.repeat(40) });
    await expect(tokenOf(foreign)).rejects.toThrow();
    expect((await forge({ sub: bob.id, sid: bobs.sid, sv: 1 }))?.id).toBe(bob.id);
  });
});

describe('ending sessions', () => {
  it('a stolen cookie is refused after "sign out everywhere", and the one it was copied from too', async () => {
    const ada = await person();
    const laptop = await signIn(ada.id);
    const stolen = laptop; // the same bytes, in someone else's browser
    const phone = await signIn(ada.id);
    expect((await viewerWith(stolen))?.id).toBe(ada.id);
    sendCookie(phone);
    await endSessions({ which: 'all' });
    expect(await viewerWith(stolen)).toBeNull();
    expect(await viewerWith(laptop)).toBeNull();
    expect(await viewerWith(phone)).toBeNull();
    sendCookie(phone);
    await expect(requireViewer()).rejects.toBeInstanceOf(AuthError);
    // Signing in again works, with a new session.
    expect((await viewerWith(await signIn(ada.id)))?.id).toBe(ada.id);
  });

  it('"sign out everywhere else" keeps this device and ends the others, a stolen copy of them included', async () => {
    const ada = await person();
    const here = await signIn(ada.id);
    const there = await signIn(ada.id);
    const elsewhere = await signIn(ada.id);
    sendCookie(here);
    expect(await endSessions({ which: 'others' })).toEqual({ ended: 2 });
    expect((await viewerWith(here))?.id).toBe(ada.id);
    expect(await viewerWith(there)).toBeNull();
    expect(await viewerWith(elsewhere)).toBeNull();
    const actions = (await getDb().select({ action: auditLog.action }).from(auditLog)).map((r) => r.action);
    expect(actions).toContain('session.end_others');
  });

  it('signing out (next-auth’s signOut event) revokes that cookie’s row, so a copy of it is dead', async () => {
    const ada = await person();
    const cookie = await signIn(ada.id);
    const other = await signIn(ada.id);
    await getAuthOptions().events!.signOut!({ token: await tokenOf(cookie), session: undefined as never });
    expect(await viewerWith(cookie)).toBeNull();
    expect((await viewerWith(other))?.id).toBe(ada.id);
  });

  it('a role change and disabling end every session of that person at once; re-enabling does not revive them', async () => {
    const zed = await person('admin');
    const ada = await person();
    const bob = await person();
    const adaCookie = await signIn(ada.id);
    const bobCookie = await signIn(bob.id);
    signInAs(zed);
    await changeRole({ userId: ada.id, role: 'editor' });
    await setUserDisabled({ userId: bob.id, disabled: true });
    await setUserDisabled({ userId: bob.id, disabled: false });
    expect(await viewerWith(adaCookie)).toBeNull();
    expect(await viewerWith(bobCookie)).toBeNull();
    // Signed in again: the new role.
    expect(await viewerWith(await signIn(ada.id))).toMatchObject({ id: ada.id, role: 'editor' });
    expect((await viewerWith(await signIn(bob.id)))?.id).toBe(bob.id);
    // The admin who made the changes is still signed in.
    signInAs(zed);
    expect((await requireViewer()).id).toBe(zed.id);
  });

  it('a bumped session version alone (any path that ends every session) refuses the older cookies', async () => {
    const ada = await person();
    const cookie = await signIn(ada.id);
    await getDb()
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, ada.id));
    expect(await viewerWith(cookie)).toBeNull();
  });

  it('changing one’s own password keeps this session and ends the others; a wrong current password changes nothing', async () => {
    const ada = await person();
    const here = await signIn(ada.id);
    const there = await signIn(ada.id);
    sendCookie(here);
    const wrong = await refused(() => changeOwnPassword({ current: 'not my password', password: 'a brand new pass phrase' }));
    expect(wrong).toBeInstanceOf(ValidationError);
    expect((await viewerWith(there))?.id).toBe(ada.id);

    sendCookie(here);
    expect(await changeOwnPassword({ current: PASSWORD, password: 'a brand new pass phrase' })).toEqual({ endedOthers: 1 });
    expect((await viewerWith(here))?.id).toBe(ada.id);
    expect(await viewerWith(there)).toBeNull();
    const [row] = await getDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, ada.id));
    expect(await verifyPassword(row.passwordHash, 'a brand new pass phrase')).toBe(true);
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(false);
  });
  it('five wrong current passwords and the form stops checking, even the right one, for a while', async () => {
    const ada = await person();
    sendCookie(await signIn(ada.id));
    for (let i = 0; i < WRONG_CURRENT_PER_WINDOW; i++) {
      const wrong = await refused(() => changeOwnPassword({ current: `guess ${i}`, password: 'a brand new pass phrase' }));
      expect(wrong).toMatchObject({ message: 'Your current password is not right.' });
    }
    const stopped = await refused(() => changeOwnPassword({ current: PASSWORD, password: 'a brand new pass phrase' }));
    expect(stopped).toMatchObject({ message: expect.stringMatching(/^Too many wrong passwords/) });
    const [row] = await getDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, ada.id));
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true);
  });
});

describe('admins', () => {
  it('an admin may end every session of someone else; nobody else may', async () => {
    const zed = await person('admin');
    const ada = await person();
    const bob = await person();
    const adaCookie = await signIn(ada.id);
    sendCookie(await signIn(bob.id));
    expect(await refused(() => endUserSessions({ userId: ada.id }))).toBeInstanceOf(ForbiddenError);
    expect((await viewerWith(adaCookie))?.id).toBe(ada.id);
    signInAs(zed);
    await endUserSessions({ userId: ada.id });
    expect(await viewerWith(adaCookie)).toBeNull();
    signInAs(zed);
    expect(await refused(() => endUserSessions({ userId: crypto.randomUUID() }))).toBeInstanceOf(NotFoundError);
  });
});

describe('the list of devices', () => {
  it('lists only one’s own live sessions, marks this one, and describes the browser simply', async () => {
    const ada = await person();
    const bob = await person();
    const here = await signIn(ada.id);
    const there = await signIn(ada.id);
    const bobs = await signIn(bob.id);
    await getDb()
      .update(userSessions)
      .set({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', ip: '198.51.100.4' })
      .where(eq(userSessions.id, (await tokenOf(there)).sid as string));
    sendCookie(here);
    const list = await listMySessions();
    expect(list).toHaveLength(2);
    expect(list.filter((d) => d.current).map((d) => d.id)).toEqual([(await tokenOf(here)).sid]);
    expect(list.find((d) => !d.current)).toMatchObject({ browser: 'Firefox', os: 'Linux', ip: '198.51.100.4' });
    expect(list.map((d) => d.id)).not.toContain((await tokenOf(bobs)).sid);
    // Revoked sessions are not listed.
    await endSessions({ which: 'others' });
    expect((await listMySessions()).map((d) => d.id)).toEqual([(await tokenOf(here)).sid]);
  });

  it('one may sign out one of one’s own devices, never someone else’s (not found, and nothing changes)', async () => {
    const ada = await person();
    const bob = await person();
    const adaHere = await signIn(ada.id);
    const adaThere = await signIn(ada.id);
    const bobs = await signIn(bob.id);
    const sid = async (cookie: string) => (await tokenOf(cookie)).sid as string;
    const bobsId = await sid(bobs);
    const adaThereId = await sid(adaThere);
    sendCookie(adaHere);
    const error = await refused(() => endSession({ sessionId: bobsId }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((await viewerWith(bobs))?.id).toBe(bob.id);
    sendCookie(adaHere);
    expect(await endSession({ sessionId: (await tokenOf(adaThere)).sid as string })).toEqual({ current: false });
    expect(await viewerWith(adaThere)).toBeNull();
    // Ending it again: not found.
    sendCookie(adaHere);
    expect(await refused(() => endSession({ sessionId: adaThereId }))).toBeInstanceOf(NotFoundError);
    expect(await endSession({ sessionId: (await tokenOf(adaHere)).sid as string })).toEqual({ current: true });
    expect(await viewerWith(adaHere)).toBeNull();
  });

  it('signed out, nothing is listed or ended', async () => {
    signInAs(null);
    await expect(listMySessions()).rejects.toBeInstanceOf(AuthError);
    await expect(endSessions({ which: 'all' })).rejects.toBeInstanceOf(AuthError);
    await expect(endSession({ sessionId: crypto.randomUUID() })).rejects.toBeInstanceOf(AuthError);
  });
});

describe('last seen', () => {
  it('is written at most once a minute per session', async () => {
    const ada = await person();
    const cookie = await signIn(ada.id);
    const sid = (await tokenOf(cookie)).sid as string;
    const lastSeen = async () => (await getDb().select({ at: userSessions.lastSeenAt }).from(userSessions).where(eq(userSessions.id, sid)))[0].at;
    const setAgo = (seconds: number) =>
      getDb()
        .update(userSessions)
        .set({ lastSeenAt: sql`now() - make_interval(secs => ${seconds})` })
        .where(eq(userSessions.id, sid));

    await setAgo(30);
    const before = await lastSeen();
    for (let i = 0; i < 3; i++) expect(await viewerWith(cookie)).not.toBeNull();
    expect(await lastSeen()).toEqual(before);

    await setAgo(61);
    const stale = await lastSeen();
    expect(await viewerWith(cookie)).not.toBeNull();
    const touched = await lastSeen();
    expect(touched.getTime()).toBeGreaterThan(stale.getTime() + 50_000);
    expect(await viewerWith(cookie)).not.toBeNull();
    expect(await lastSeen()).toEqual(touched);
  });
});
