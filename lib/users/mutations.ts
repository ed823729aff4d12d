import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { passwordTokens, users, type Role } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { AuthError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { hashPassword } from '@/lib/auth/password';
import { endAllSessionsOf } from '@/lib/auth/session-store';
import { slugify } from '@/lib/slug';
import type { Tx } from '@/lib/tags/mutations';
import { requireCapability } from './admin-queries';
import { canChangeRole, canDisable, canInviteRole } from './policy';
import { acceptInviteSchema, changeRoleSchema, inviteSchema, inviteTokenSchema, parseInput, setDisabledSchema, setupSchema } from './schemas';

export const INVITE_HOURS = 48;
export const LAST_ADMIN_MESSAGE = 'The last admin cannot be demoted or disabled.';
const DUPLICATE_EMAIL_MESSAGE = 'Someone already has that email.';
const BAD_INVITE_MESSAGE = 'This invite link is not valid: it may have expired or been used already.';

/** Tokens are stored as their SHA-256: a leaked table holds no usable links. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A PostgreSQL unique violation, optionally of one named constraint (drizzle wraps driver errors in `cause`). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  type PgError = { code?: string; constraint?: string; cause?: PgError };
  for (let e = error as PgError | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause, depth += 1) {
    if (e.code === '23505') return !constraint || e.constraint === constraint;
  }
  return false;
}

/** A user slug nobody has, from `base`: "ann-lee", then "ann-lee-2", "ann-lee-3"… */
export async function uniqueUserSlug(tx: Tx, base: string): Promise<string> {
  const taken = await tx
    .select({ slug: users.slug })
    .from(users)
    .where(sql`${users.slug} = ${base} or ${users.slug} like ${`${base}-%`}`);
  const used = new Set(taken.map((row) => row.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function emailTaken(tx: Tx, email: string): Promise<boolean> {
  const [row] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  return !!row;
}

/**
 * First run: makes the first admin while nobody can sign in. The check is repeated under a table
 * lock, so two simultaneous setups cannot both win. An imported author (no email) with the same
 * slug is claimed rather than duplicated, so their posts become the new admin's.
 */
export async function createFirstAdmin(input: { name: string; email: string; password: string }): Promise<{ userId: string }> {
  const { name, email, password } = parseInput(setupSchema, input);
  const passwordHash = await hashPassword(password);
  return getDb().transaction(async (tx) => {
    // Conflicts with itself and with every insert/update of users, so the check below stays true until commit.
    await tx.execute(sql`lock table ${users} in share row exclusive mode`);
    const [account] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.email} is not null`)
      .limit(1);
    if (account) throw new ForbiddenError('This site is already set up. Sign in instead.');
    const base = slugify(name, 'admin');
    const [byline] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.slug, base), isNull(users.email)))
      .limit(1);
    let userId: string;
    if (byline) {
      await tx
        .update(users)
        .set({ name, email, passwordHash, role: 'admin', disabledAt: null, updatedAt: sql`now()` })
        .where(eq(users.id, byline.id));
      userId = byline.id;
    } else {
      const slug = await uniqueUserSlug(tx, base);
      const [row] = await tx.insert(users).values({ name, email, slug, passwordHash, role: 'admin' }).returning({ id: users.id });
      userId = row.id;
    }
    await recordAudit({ actorId: userId, action: 'user.setup', targetType: 'user', targetId: userId, detail: { claimedByline: !!byline } }, tx);
    return { userId };
  });
}

/**
 * Creates an account without a password and a one-time link (48 h) to set one. The link is returned
 * once, for the inviter to pass on; only its hash is stored.
 */
export async function inviteUser(input: { name: string; email: string; role: Role }): Promise<{ userId: string; token: string }> {
  const viewer = await requireCapability('inviteUsers');
  const { name, email, role } = parseInput(inviteSchema, input);
  if (!canInviteRole(viewer.role, role)) {
    throw new ForbiddenError(`You are not allowed to invite someone as ${role === 'contributor' ? 'a' : 'an'} ${role}.`);
  }
  const token = randomBytes(32).toString('base64url');
  try {
    return await getDb().transaction(async (tx) => {
      if (await emailTaken(tx, email)) throw new ValidationError(DUPLICATE_EMAIL_MESSAGE, 'email');
      // An imported author (a byline without an email) of the same name is claimed, not duplicated:
      // their imported posts become the invited person's once they accept.
      const [byline] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(sql`lower(${users.name}) = lower(${name})`, isNull(users.email), isNull(users.passwordHash)))
        .for('update')
        .limit(1);
      const [row] = byline
        ? await tx
            .update(users)
            .set({ name, email, role, disabledAt: null, updatedAt: sql`now()` })
            .where(eq(users.id, byline.id))
            .returning({ id: users.id })
        : await tx
            .insert(users)
            .values({ name, email, slug: await uniqueUserSlug(tx, slugify(name, 'user')), role })
            .returning({ id: users.id });
      await tx.insert(passwordTokens).values({
        tokenHash: hashToken(token),
        userId: row.id,
        expiresAt: sql`now() + make_interval(hours => ${INVITE_HOURS})`,
      });
      await recordAudit({ actorId: viewer.id, action: 'user.invite', targetType: 'user', targetId: row.id, detail: { email, role, claimedByline: !!byline } }, tx);
      return { userId: row.id, token };
    });
  } catch (error) {
    // Two invites of one address at the same moment: the index decides, the loser gets the same message.
    if (isUniqueViolation(error, 'users_email_key')) throw new ValidationError(DUPLICATE_EMAIL_MESSAGE, 'email');
    if (isUniqueViolation(error, 'users_slug_key')) throw new ValidationError('Please try again.', 'name');
    throw error;
  }
}

/**
 * A one-time link that still works: unused, unexpired, its account enabled, and of the purpose
 * asked for (an invitation is not a password reset, lib/auth/password-reset.ts, nor the reverse).
 */
export const liveToken = (hash: string, purpose: 'invite' | 'reset' = 'invite') =>
  and(
    eq(passwordTokens.tokenHash, hash),
    eq(passwordTokens.purpose, purpose),
    isNull(passwordTokens.usedAt),
    sql`${passwordTokens.expiresAt} > now()`,
    isNull(users.disabledAt),
  );

/**
 * Sets the password of the account whose link matches `live` and spends that link and every other
 * unused link of the account, in the caller's transaction; null when no live link matches. The row
 * lock serialises two submissions of one link: the second finds it used.
 */
export async function setPasswordWithToken(tx: Tx, live: SQL | undefined, passwordHash: string): Promise<{ userId: string; email: string } | null> {
  const [row] = await tx
    .select({ userId: passwordTokens.userId, email: users.email })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(live)
    .for('update');
  if (!row?.email) return null;
  await tx
    .update(users)
    .set({ passwordHash, updatedAt: sql`now()` })
    .where(eq(users.id, row.userId));
  await tx
    .update(passwordTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordTokens.userId, row.userId), isNull(passwordTokens.usedAt)));
  return { userId: row.userId, email: row.email };
}

/** Who an invite link is for, while it is unused, unexpired and the account enabled; else null. */
export async function getInvite(token: string): Promise<{ name: string; email: string } | null> {
  if (!inviteTokenSchema.safeParse(token).success) return null;
  const [row] = await getDb()
    .select({ name: users.name, email: users.email })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(liveToken(hashToken(token)))
    .limit(1);
  return row?.email ? { name: row.name, email: row.email } : null;
}

/** Sets the invited person's password and spends the link (and any other link of theirs). */
export async function acceptInvite(input: { token: string; password: string }): Promise<{ email: string }> {
  const parsed = acceptInviteSchema.safeParse(input);
  if (!parsed.success && parsed.error.issues.some((issue) => issue.path[0] === 'token')) throw new NotFoundError(BAD_INVITE_MESSAGE);
  const { token, password } = parseInput(acceptInviteSchema, input);
  const passwordHash = await hashPassword(password);
  return getDb().transaction(async (tx) => {
    const row = await setPasswordWithToken(tx, liveToken(hashToken(token)), passwordHash);
    if (!row) throw new NotFoundError(BAD_INVITE_MESSAGE);
    await recordAudit({ actorId: row.userId, action: 'user.accept', targetType: 'user', targetId: row.userId }, tx);
    return { email: row.email };
  });
}

type Locked = { id: string; role: Role; disabled: boolean; hasEmail: boolean };

/**
 * Locks the actor, the target and every active admin, in id order (no deadlocks), and counts the
 * active admins from the locked rows: two concurrent demotions are serialised, and the second sees
 * the first's result. The actor's role is re-read here too, not trusted from before the lock.
 */
async function lockForAdminChange(tx: Tx, actorId: string, targetId: string) {
  const { rows } = await tx.execute<{ id: string; role: Role; disabled: boolean; has_email: boolean }>(sql`
    select ${users.id} as id, ${users.role} as role, ${users.disabledAt} is not null as disabled, ${users.email} is not null as has_email
    from ${users}
    where ${users.id} in (${actorId}, ${targetId})
       or (${users.role} = 'admin' and ${users.disabledAt} is null and ${users.email} is not null)
    order by ${users.id}
    for update`);
  const locked: Locked[] = rows.map((r) => ({ id: r.id, role: r.role, disabled: r.disabled, hasEmail: r.has_email }));
  const actor = locked.find((r) => r.id === actorId);
  if (!actor || actor.disabled || !actor.hasEmail) throw new AuthError();
  const target = locked.find((r) => r.id === targetId);
  if (!target) throw new NotFoundError('No such user.');
  const activeAdmins = locked.filter((r) => r.role === 'admin' && !r.disabled && r.hasEmail).length;
  return { actor, target, activeAdmins };
}

function refuse(actorRole: Role): never {
  // The policy refuses admins only to keep one active admin: say so.
  throw new ForbiddenError(actorRole === 'admin' ? LAST_ADMIN_MESSAGE : 'You are not allowed to manage users.');
}

export async function changeRole(input: { userId: string; role: Role }): Promise<{ changed: boolean }> {
  const viewer = await requireCapability('manageUsers');
  const { userId, role } = parseInput(changeRoleSchema, input);
  return getDb().transaction(async (tx) => {
    const { actor, target, activeAdmins } = await lockForAdminChange(tx, viewer.id, userId);
    if (!canChangeRole(actor.role, target, role, activeAdmins)) refuse(actor.role);
    if (target.role === role) return { changed: false };
    await tx
      .update(users)
      .set({ role, updatedAt: sql`now()` })
      .where(eq(users.id, userId));
    // Every session of theirs ends: they sign in again under the new role.
    await endAllSessionsOf(tx, userId);
    await recordAudit({ actorId: actor.id, action: 'user.role', targetType: 'user', targetId: userId, detail: { from: target.role, to: role } }, tx);
    return { changed: true };
  });
}

/** Disabling takes effect on the disabled person's next request (the viewer is re-read every time). */
export async function setUserDisabled(input: { userId: string; disabled: boolean }): Promise<{ changed: boolean }> {
  const viewer = await requireCapability('manageUsers');
  const { userId, disabled } = parseInput(setDisabledSchema, input);
  return getDb().transaction(async (tx) => {
    const { actor, target, activeAdmins } = await lockForAdminChange(tx, viewer.id, userId);
    if (target.disabled === disabled) {
      if (actor.role !== 'admin') refuse(actor.role);
      return { changed: false };
    }
    if (!canDisable(actor.role, target, activeAdmins)) refuse(actor.role);
    await tx
      .update(users)
      .set({ disabledAt: disabled ? sql`now()` : null, updatedAt: sql`now()` })
      .where(eq(users.id, userId));
    if (disabled) await endAllSessionsOf(tx, userId);
    await recordAudit({ actorId: actor.id, action: disabled ? 'user.disable' : 'user.enable', targetType: 'user', targetId: userId }, tx);
    return { changed: true };
  });
}
