import 'server-only';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { getDb } from '@/db/client';
import { userRecoveryCodes, users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { env } from '@/lib/env';
import { countHit, hitsSoFar } from '@/lib/rate-limit';
import { getSiteSettings } from '@/lib/site/settings';
import type { Tx } from '@/lib/tags/mutations';
import { parseInput } from '@/lib/users/schemas';
import { ValidationError } from './errors';
import { verifyPassword } from './password';
import {
  acceptedStep,
  decryptSecret,
  encryptSecret,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  totpCodePattern,
  totpUri,
} from './two-factor-crypto';
import { confirmTwoFactorSchema, passwordOrCodeSchema } from './two-factor-schemas';
import { requireViewer, requireViewerForTwoFactorSetup } from './viewer';

/**
 * Two-factor sign-in (TOTP) for one's own account: set up (a pending secret until a code confirms
 * it), ten recovery codes shown once, turn off, new recovery codes, and the check at sign-in. The
 * admins' part (reset someone's, the site's requirement) is in ./two-factor-admin.ts.
 */

/** Wrong codes or passwords a signed-in person may give these forms per window (a stolen session cannot guess on). */
export const WRONG_CHECKS_PER_WINDOW = 5;
const CHECK_WINDOW_MINUTES = 15;
export const checkCounterKey = (userId: string) => `two-factor-check:${userId}`;

const authSecret = () => env().AUTH_SECRET;

export type TwoFactorStatus = {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  /** A set-up started and not confirmed yet: what the authenticator app needs. */
  pending: { secret: string; uri: string; qrCode: string } | null;
  /** The site requires it of this person and they have none yet. */
  required: boolean;
};

/** The QR code as an SVG data URL, made here: the secret never leaves for a remote service. */
async function qrCode(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The viewer's own two-factor state, for /editor/account (open while they must set it up). */
export async function getMyTwoFactor(): Promise<TwoFactorStatus> {
  const { viewer, mustSetUpTwoFactor } = await requireViewerForTwoFactorSetup();
  const db = getDb();
  const [row] = await db.select({ secret: users.totpSecretEnc, enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, viewer.id));
  const [left] = await db
    .select({ n: count() })
    .from(userRecoveryCodes)
    .where(and(eq(userRecoveryCodes.userId, viewer.id), isNull(userRecoveryCodes.usedAt)));
  let pending: TwoFactorStatus['pending'] = null;
  if (row && !row.enabledAt && row.secret) {
    const secret = decryptSecret(row.secret, viewer.id, authSecret());
    const uri = totpUri(secret, (await getSiteSettings()).title, viewer.email);
    pending = { secret, uri, qrCode: await qrCode(uri) };
  }
  return {
    enabled: !!row?.enabledAt,
    enabledAt: row?.enabledAt ?? null,
    recoveryCodesLeft: row?.enabledAt ? Number(left?.n ?? 0) : 0,
    pending,
    required: mustSetUpTwoFactor,
  };
}

/** Starts (or restarts) setting up: a new secret, pending until confirmed with a code from it. */
export async function startTwoFactor(): Promise<void> {
  const { viewer } = await requireViewerForTwoFactorSetup();
  await getDb().transaction(async (tx) => {
    const [row] = await tx.select({ enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, viewer.id)).for('update');
    if (row?.enabledAt) throw new ValidationError('Two-factor sign-in is already on. Turn it off first to set it up again.');
    const secretEnc = encryptSecret(newTotpSecret(), viewer.id, authSecret());
    await tx.update(users).set({ totpSecretEnc: secretEnc, totpLastStep: null }).where(eq(users.id, viewer.id));
    await recordAudit({ actorId: viewer.id, action: 'two-factor.start', targetType: 'user', targetId: viewer.id }, tx);
  });
}

async function refuseWhileCounting(userId: string, field: string): Promise<void> {
  if ((await hitsSoFar(checkCounterKey(userId), CHECK_WINDOW_MINUTES)) >= WRONG_CHECKS_PER_WINDOW) {
    throw new ValidationError(`Too many wrong codes or passwords. Try again in ${CHECK_WINDOW_MINUTES} minutes.`, field);
  }
}

/** Replaces the user's recovery codes with ten new ones, returned as shown to the person (only their hashes are kept). */
async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
  await tx.insert(userRecoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

/** Confirms the pending set-up with a code from the app: two-factor sign-in is on, and here are the recovery codes (once). */
export async function confirmTwoFactor(input: { code: string }): Promise<{ recoveryCodes: string[] }> {
  const { viewer } = await requireViewerForTwoFactorSetup();
  const { code } = parseInput(confirmTwoFactorSchema, input);
  await refuseWhileCounting(viewer.id, 'code');
  const outcome = await getDb().transaction(async (tx) => {
    const [row] = await tx.select({ secret: users.totpSecretEnc, enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, viewer.id)).for('update');
    if (row?.enabledAt) throw new ValidationError('Two-factor sign-in is already on.');
    if (!row?.secret) throw new ValidationError('Start setting up two-factor sign-in first.');
    const step = await acceptedStep(decryptSecret(row.secret, viewer.id, authSecret()), code, null);
    if (step === null) return null;
    await tx
      .update(users)
      .set({ totpEnabledAt: sql`now()`, totpLastStep: step, updatedAt: sql`now()` })
      .where(eq(users.id, viewer.id));
    const recoveryCodes = await replaceRecoveryCodes(tx, viewer.id);
    await recordAudit({ actorId: viewer.id, action: 'two-factor.enable', targetType: 'user', targetId: viewer.id }, tx);
    return { recoveryCodes };
  });
  if (!outcome) {
    await countHit(checkCounterKey(viewer.id), CHECK_WINDOW_MINUTES);
    throw new ValidationError('That code is not right. Check the time on your phone and enter the newest code.', 'code');
  }
  return outcome;
}

/**
 * The second factor, checked and used up: a TOTP code of a time step later than the last one
 * accepted (so never twice, even by two requests at once: the update is conditional), or an unused
 * recovery code (which is then used). No viewer: sign-in (./two-factor-signin.ts) and the forms below call it.
 */
export async function consumeSecondFactor(userId: string, input: string): Promise<'totp' | 'recovery' | null> {
  const db = getDb();
  const digits = input.replace(/\s+/g, '');
  if (totpCodePattern.test(digits)) {
    const [row] = await db
      .select({ secret: users.totpSecretEnc, enabledAt: users.totpEnabledAt, lastStep: users.totpLastStep })
      .from(users)
      .where(eq(users.id, userId));
    if (!row?.enabledAt || !row.secret) return null;
    const step = await acceptedStep(decryptSecret(row.secret, userId, authSecret()), digits, row.lastStep);
    if (step === null) return null;
    const taken = await db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, userId), sql`${users.totpEnabledAt} is not null`, sql`(${users.totpLastStep} is null or ${users.totpLastStep} < ${step})`))
      .returning({ id: users.id });
    return taken.length ? 'totp' : null;
  }
  const recovery = normaliseRecoveryCode(input);
  if (!recovery) return null;
  const used = await db
    .update(userRecoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(userRecoveryCodes.userId, userId),
        eq(userRecoveryCodes.codeHash, hashRecoveryCode(recovery)),
        isNull(userRecoveryCodes.usedAt),
        sql`exists (select 1 from ${users} where ${users.id} = ${userId} and ${users.totpEnabledAt} is not null)`,
      ),
    )
    .returning({ id: userRecoveryCodes.id });
  return used.length ? 'recovery' : null;
}

/** The current password or a second factor (which is then used up); wrong ones are counted. */
async function checkPasswordOrCode(userId: string, input: { password?: string; code?: string }): Promise<'password' | 'totp' | 'recovery'> {
  const field = input.password !== undefined ? 'password' : 'code';
  await refuseWhileCounting(userId, field);
  if (input.password !== undefined) {
    const [row] = await getDb().select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
    if (await verifyPassword(row?.hash ?? null, input.password)) return 'password';
  } else if (input.code !== undefined) {
    const used = await consumeSecondFactor(userId, input.code);
    if (used) return used;
  }
  await countHit(checkCounterKey(userId), CHECK_WINDOW_MINUTES);
  throw new ValidationError('That password or code is not right.', field);
}

async function requireEnabled(userId: string): Promise<void> {
  const [row] = await getDb().select({ enabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, userId));
  if (!row?.enabledAt) throw new ValidationError('Two-factor sign-in is not on.');
}

/** Turns one's own two-factor sign-in off, with the current password or a code; the recovery codes go too. */
export async function disableTwoFactor(input: { password?: string; code?: string }): Promise<void> {
  const viewer = await requireViewer();
  const proof = parseInput(passwordOrCodeSchema, input);
  await requireEnabled(viewer.id);
  const how = await checkPasswordOrCode(viewer.id, proof);
  await getDb().transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null, updatedAt: sql`now()` })
      .where(eq(users.id, viewer.id));
    await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, viewer.id));
    await recordAudit({ actorId: viewer.id, action: 'two-factor.disable', targetType: 'user', targetId: viewer.id, detail: { with: how } }, tx);
  });
}

/** Ten new recovery codes (the old ones stop working), with the current password or a code; shown once. */
export async function regenerateRecoveryCodes(input: { password?: string; code?: string }): Promise<{ recoveryCodes: string[] }> {
  const viewer = await requireViewer();
  const proof = parseInput(passwordOrCodeSchema, input);
  await requireEnabled(viewer.id);
  const how = await checkPasswordOrCode(viewer.id, proof);
  return getDb().transaction(async (tx) => {
    const recoveryCodes = await replaceRecoveryCodes(tx, viewer.id);
    await recordAudit({ actorId: viewer.id, action: 'two-factor.recovery-codes', targetType: 'user', targetId: viewer.id, detail: { with: how } }, tx);
    return { recoveryCodes };
  });
}
