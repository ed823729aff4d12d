import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib/functional';

/**
 * The pure parts of two-factor sign-in: the TOTP secret's encryption at rest, code checking with a
 * replay guard, and recovery codes. No database here; the callers (lib/auth/two-factor*.ts) store.
 */

/** 30-second steps; one step either side is accepted (a phone's clock a little off, a code typed late). */
export const TOTP_PERIOD = 30;
export const TOTP_WINDOW_STEPS = 1;

const KEY_INFO = 'broadsheet totp secret v1';
const VERSION = 'v1';

/** AES-256 key for TOTP secrets, derived from AUTH_SECRET with HKDF-SHA256: a database dump alone gives no codes. */
function secretKey(authSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', authSecret, Buffer.alloc(0), KEY_INFO, 32));
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url), bound to the user id (AAD): a row copied to another user does not decrypt. */
export function encryptSecret(secret: string, userId: string, authSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secretKey(authSecret), iv);
  cipher.setAAD(Buffer.from(userId));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The secret, or an Error if the value was tampered with, belongs to another user, or AUTH_SECRET changed. */
export function decryptSecret(stored: string, userId: string, authSecret: string): string {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unreadable two-factor secret.');
  const decipher = createDecipheriv('aes-256-gcm', secretKey(authSecret), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** A new base32 secret (20 random bytes, what authenticator apps expect). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return generateURI({ issuer, label: account, secret, period: TOTP_PERIOD });
}

export const totpCodePattern = /^\d{6}$/;

/**
 * The time step a code belongs to if it is right within ±1 step of `nowMs` and later than
 * `afterStep` (the last one accepted: a code is never accepted twice), else null.
 */
export async function acceptedStep(secret: string, code: string, afterStep: number | null, nowMs = Date.now()): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!totpCodePattern.test(token)) return null;
  const result = await verify({
    secret,
    token,
    period: TOTP_PERIOD,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOTP_PERIOD * TOTP_WINDOW_STEPS,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

// Recovery codes: 16 characters from 31 without look-alikes (no i, l, o, 0, 1: about 79 bits), shown as xxxx-xxxx-xxxx-xxxx.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;
export const recoveryCodePattern = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/;

/** Ten fresh recovery codes, as shown to the person (once). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** A recovery code as typed (any case, spaces, with or without dashes) in its canonical form, or null. */
export function normaliseRecoveryCode(input: string): string | null {
  const chars = input.toLowerCase().replace(/[\s-]+/g, '');
  if (!/^[a-z0-9]{16}$/.test(chars)) return null;
  return chars.match(/.{4}/g)!.join('-');
}

/** What is stored: SHA-256 of the canonical code (79 random bits need no slow hash). */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}
