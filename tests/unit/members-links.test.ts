import { describe, expect, it } from 'vitest';
import { checkConfirmation, checkUnsubscribe, CONFIRMATION_TTL_MS, signConfirmation, signUnsubscribe } from '@/lib/members/signing';

const SECRET = 'unit-secret-unit-secret-unit-secret-0123';
const ID = '5b2f7c1e-8f3a-4d2b-9c1e-0a1b2c3d4e5f';
const OTHER = '5b2f7c1e-8f3a-4d2b-9c1e-0a1b2c3d4e60';
const now = Date.UTC(2026, 0, 1);
const expires = Math.floor((now + CONFIRMATION_TTL_MS) / 1000);

// Flips one character of a base64url signature.
const flip = (s: string) => s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);

describe('confirmation links', () => {
  const signature = signConfirmation(SECRET, ID, expires);

  it('are valid until their expiry, 48 hours after issue, and expired after', () => {
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(checkConfirmation(SECRET, { memberId: ID, expires, signature }, now)).toBe('valid');
    expect(checkConfirmation(SECRET, { memberId: ID, expires, signature }, now + CONFIRMATION_TTL_MS - 1000)).toBe('valid');
    expect(checkConfirmation(SECRET, { memberId: ID, expires, signature }, now + CONFIRMATION_TTL_MS + 1000)).toBe('expired');
  });

  it('are invalid when any part is altered, or signed with another secret or for another purpose', () => {
    expect(checkConfirmation(SECRET, { memberId: OTHER, expires, signature }, now)).toBe('invalid');
    // A later expiry is not a longer life: the signature covers it.
    expect(checkConfirmation(SECRET, { memberId: ID, expires: expires + 86_400, signature }, now)).toBe('invalid');
    expect(checkConfirmation(SECRET, { memberId: ID, expires, signature: flip(signature) }, now)).toBe('invalid');
    expect(checkConfirmation(SECRET, { memberId: ID, expires, signature: signature.slice(0, 42) }, now)).toBe('invalid');
    expect(checkConfirmation(SECRET, { memberId: ID, expires, signature: '' }, now)).toBe('invalid');
    expect(checkConfirmation(`${SECRET}x`, { memberId: ID, expires, signature }, now)).toBe('invalid');
    expect(checkConfirmation(SECRET, { memberId: ID, expires, signature: signUnsubscribe(SECRET, ID) }, now)).toBe('invalid');
    expect(checkConfirmation(SECRET, { memberId: ID, expires: Number.NaN, signature }, now)).toBe('invalid');
  });

  it('say invalid rather than expired for a forged old link', () => {
    expect(checkConfirmation(SECRET, { memberId: ID, expires: 1, signature: flip(signConfirmation(SECRET, ID, 1)) }, now)).toBe('invalid');
    expect(checkConfirmation(SECRET, { memberId: ID, expires: 1, signature: signConfirmation(SECRET, ID, 1) }, now)).toBe('expired');
  });
});

describe('unsubscribe links', () => {
  it('never expire, and are only valid for their member, secret and purpose', () => {
    const signature = signUnsubscribe(SECRET, ID);
    expect(checkUnsubscribe(SECRET, ID, signature)).toBe(true);
    expect(signUnsubscribe(SECRET, ID)).toBe(signature);
    expect(checkUnsubscribe(SECRET, OTHER, signature)).toBe(false);
    expect(checkUnsubscribe(SECRET, ID, flip(signature))).toBe(false);
    expect(checkUnsubscribe(`${SECRET}x`, ID, signature)).toBe(false);
    expect(checkUnsubscribe(SECRET, ID, signConfirmation(SECRET, ID, expires))).toBe(false);
    expect(checkUnsubscribe(SECRET, ID, `${signature}=`)).toBe(false);
  });
});
