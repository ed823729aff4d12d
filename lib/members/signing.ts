import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The members' signed links, pure (the secret is passed in, lib/members/links.ts gives AUTH_SECRET):
 * HMAC-SHA256 under a key derived per purpose from the secret, over the purpose, the member's id and,
 * for the confirmation, its expiry. A link for one purpose is never valid for another, and nothing
 * is stored: changing AUTH_SECRET voids every link.
 */
export type LinkPurpose = 'confirm' | 'unsubscribe';

/** How long a confirmation link works. */
export const CONFIRMATION_TTL_MS = 48 * 3600 * 1000;

const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

function sign(secret: string, purpose: LinkPurpose, parts: string[]): string {
  const key = createHmac('sha256', secret).update(`broadsheet/members/${purpose}`).digest();
  return createHmac('sha256', key)
    .update([purpose, ...parts].join('\n'))
    .digest('base64url');
}

function same(signature: string, expected: string): boolean {
  if (!SIGNATURE.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

export type ConfirmationToken = { memberId: string; expires: number; signature: string };

/** A confirmation for `memberId`, valid until `expires` (seconds since the epoch). */
export function signConfirmation(secret: string, memberId: string, expires: number): string {
  return sign(secret, 'confirm', [memberId, String(expires)]);
}

export type ConfirmationCheck = 'valid' | 'expired' | 'invalid';

/** Forged or altered: invalid (checked first, so a forged link never learns about expiry); else expired after its time. */
export function checkConfirmation(secret: string, token: ConfirmationToken, now: number = Date.now()): ConfirmationCheck {
  if (!Number.isSafeInteger(token.expires)) return 'invalid';
  if (!same(token.signature, signConfirmation(secret, token.memberId, token.expires))) return 'invalid';
  return token.expires * 1000 < now ? 'expired' : 'valid';
}

/** The unsubscribe signature of `memberId`: it never expires (a mail from years ago must still work). */
export function signUnsubscribe(secret: string, memberId: string): string {
  return sign(secret, 'unsubscribe', [memberId]);
}

export function checkUnsubscribe(secret: string, memberId: string, signature: string): boolean {
  return same(signature, signUnsubscribe(secret, memberId));
}
