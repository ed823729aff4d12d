import 'server-only';
import { eq, isNotNull, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { siteSettings, userRecoveryCodes, users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { env } from '@/lib/env';
import { requireCapability } from '@/lib/users/admin-queries';
import { parseInput } from '@/lib/users/schemas';
import { NotFoundError, ValidationError } from './errors';
import { userIdInputSchema } from './schemas';
import { endAllSessionsOf } from './session-store';
import { requireTwoFactorSchema } from './two-factor-schemas';

/** The admins' side of two-factor sign-in: who has it, resetting someone's, and the site's requirement. */

/** Admins: the ids of the people with two-factor sign-in on (for /editor/users). */
export async function listTwoFactorUserIds(): Promise<string[]> {
  await requireCapability('manageUsers');
  const rows = await getDb().select({ id: users.id }).from(users).where(isNotNull(users.totpEnabledAt));
  return rows.map((row) => row.id);
}

/**
 * Admins: someone lost their phone and their recovery codes. Their two-factor sign-in is removed and
 * every session of theirs ends (whoever holds their cookie now must sign in again); audit-logged.
 */
export async function resetUserTwoFactor(input: { userId: string }): Promise<{ name: string }> {
  const viewer = await requireCapability('manageUsers');
  const { userId } = parseInput(userIdInputSchema, input);
  if (userId === viewer.id) throw new ValidationError('Turn your own two-factor sign-in off on your account page.');
  return getDb().transaction(async (tx) => {
    const [target] = await tx
      .select({ name: users.name, enabledAt: users.totpEnabledAt, secret: users.totpSecretEnc })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (!target) throw new NotFoundError('No such user.');
    if (!target.enabledAt && !target.secret) throw new ValidationError(`${target.name} has no two-factor sign-in.`);
    await tx
      .update(users)
      .set({ totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null, updatedAt: sql`now()` })
      .where(eq(users.id, userId));
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
    await endAllSessionsOf(tx, userId);
    await recordAudit({ actorId: viewer.id, action: 'two-factor.reset', targetType: 'user', targetId: userId, detail: { wasOn: !!target.enabledAt } }, tx);
    return { name: target.name };
  });
}

/** Admins: whether the site requires two-factor sign-in of admins and editors. */
export async function getRequireTwoFactor(): Promise<boolean> {
  await requireCapability('manageSettings');
  const [row] = await getDb().select({ required: siteSettings.requireTwoFactor }).from(siteSettings).where(eq(siteSettings.id, 1));
  return row?.required ?? false;
}

/**
 * Admins: require two-factor sign-in of admins and editors, or stop. Turning it on needs the admin's
 * own first: otherwise their next click would lock them out of everything but setting it up.
 */
export async function setRequireTwoFactor(input: { required: boolean }): Promise<{ changed: boolean }> {
  const viewer = await requireCapability('manageSettings');
  const { required } = parseInput(requireTwoFactorSchema, input);
  return getDb().transaction(async (tx) => {
    if (required) {
      const [me] = await tx.select({ enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, viewer.id));
      if (!me?.enabledAt) {
        throw new ValidationError('Set up two-factor sign-in for yourself first (on your account page): otherwise this would lock you out.', 'required');
      }
    }
    const [row] = await tx.select({ required: siteSettings.requireTwoFactor }).from(siteSettings).where(eq(siteSettings.id, 1)).for('update');
    if ((row?.required ?? false) === required) return { changed: false };
    // Without a row the site runs on the environment's defaults (lib/site/settings.ts): they become the row.
    await tx
      .insert(siteSettings)
      .values({ id: 1, title: env().SITE_TITLE, description: env().SITE_DESCRIPTION, requireTwoFactor: required })
      .onConflictDoUpdate({ target: siteSettings.id, set: { requireTwoFactor: required, updatedAt: sql`now()` } });
    await recordAudit({ actorId: viewer.id, action: 'settings.require-two-factor', targetType: 'settings', targetId: '1', detail: { required } }, tx);
    return { changed: true };
  });
}
