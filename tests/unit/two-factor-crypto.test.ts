import { generate } from 'otplib/functional';
import { describe, expect, it } from 'vitest';
import {
  TOTP_PERIOD,
  acceptedStep,
  decryptSecret,
  encryptSecret,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  recoveryCodePattern,
  totpUri,
} from '@/lib/auth/two-factor-crypto';

const AUTH = 'test-secret-test-secret-test-secret-0123';
const USER = '11111111-1111-4111-8111-111111111111';
const NOW = Date.UTC(2026, 11, 5, 12, 0, 10);
const step = (ms: number) => Math.floor(ms / 1000 / TOTP_PERIOD);
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000), period: TOTP_PERIOD });

describe('TOTP secret at rest', () => {
  it('round-trips, and the stored value does not contain the secret', () => {
    const secret = newTotpSecret();
    const stored = encryptSecret(secret, USER, AUTH);
    expect(stored).not.toContain(secret);
    expect(stored).toMatch(/^v1\./);
    expect(decryptSecret(stored, USER, AUTH)).toBe(secret);
    // A fresh IV every time.
    expect(encryptSecret(secret, USER, AUTH)).not.toBe(stored);
  });

  it('does not decrypt with another AUTH_SECRET, for another user, or tampered', () => {
    const stored = encryptSecret(newTotpSecret(), USER, AUTH);
    expect(() => decryptSecret(stored, USER, `${AUTH}x`)).toThrow();
    expect(() => decryptSecret(stored, '22222222-2222-4222-8222-222222222222', AUTH)).toThrow();
    const parts = stored.split('.');
    parts[3] = Buffer.from('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').toString('base64url');
    expect(() => decryptSecret(parts.join('.'), USER, AUTH)).toThrow();
    expect(() => decryptSecret('garbage', USER, AUTH)).toThrow();
  });
});

describe('TOTP codes', () => {
  const secret = newTotpSecret();

  it('accepts the current code and one step either side, not two', async () => {
    expect(await acceptedStep(secret, await codeAt(secret, NOW), null, NOW)).toBe(step(NOW));
    expect(await acceptedStep(secret, await codeAt(secret, NOW - 30_000), null, NOW)).toBe(step(NOW) - 1);
    expect(await acceptedStep(secret, await codeAt(secret, NOW + 30_000), null, NOW)).toBe(step(NOW) + 1);
    expect(await acceptedStep(secret, await codeAt(secret, NOW - 60_000), null, NOW)).toBeNull();
    expect(await acceptedStep(secret, await codeAt(secret, NOW + 60_000), null, NOW)).toBeNull();
  });

  it('refuses a replay: nothing at or before the last accepted step', async () => {
    const code = await codeAt(secret, NOW);
    const first = await acceptedStep(secret, code, null, NOW);
    expect(first).toBe(step(NOW));
    expect(await acceptedStep(secret, code, first, NOW)).toBeNull();
    // An older code still inside the window is refused too once a later one was used.
    expect(await acceptedStep(secret, await codeAt(secret, NOW - 30_000), first, NOW)).toBeNull();
    expect(await acceptedStep(secret, await codeAt(secret, NOW + 30_000), first, NOW)).toBe(step(NOW) + 1);
  });

  it('refuses malformed input and another secret’s code', async () => {
    expect(await acceptedStep(secret, '12345', null, NOW)).toBeNull();
    expect(await acceptedStep(secret, 'abcdef', null, NOW)).toBeNull();
    expect(await acceptedStep(newTotpSecret(), await codeAt(secret, NOW), null, NOW)).toBeNull();
    const spaced = (await codeAt(secret, NOW)).replace(/^(\d{3})/, '$1 ');
    expect(await acceptedStep(secret, spaced, null, NOW)).toBe(step(NOW));
  });

  it('makes an otpauth URI with the issuer and account', () => {
    const uri = totpUri(secret, 'The Paper', 'ed@example.com');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=The%20Paper');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes in the shown format', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(recoveryCodePattern);
      expect(code).not.toMatch(/[ilo01]/);
    }
  });

  it('normalise what people type, and hash the canonical form', () => {
    const [code] = newRecoveryCodes(1);
    expect(normaliseRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).toBe(code);
    expect(normaliseRecoveryCode(code.replace(/-/g, ''))).toBe(code);
    expect(normaliseRecoveryCode('too-short')).toBeNull();
    expect(hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code)).not.toBe(hashRecoveryCode(newRecoveryCodes(1)[0]));
  });
});
