/** The sign-in throttle's pure rules: keys, the pair's doubling waits, the address limit, the account's slowing, draining. */
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_FAILURES_PER_HOUR,
  ADDRESS_FAILURES_PER_HOUR,
  accountKey,
  accountUnderAttack,
  addressWait,
  drainedLevel,
  kindOf,
  pairKey,
  pairWait,
  throttleKeys,
} from '@/lib/auth/throttle-rules';

describe('keys', () => {
  it('name the pair and the address, with the email normalised; the 429 keys never include the account', () => {
    expect(pairKey(' Ada@Example.TEST ', '192.0.2.1')).toBe('pair:ada@example.test|192.0.2.1');
    expect(accountKey('ADA@example.test')).toBe('account:ada@example.test');
    expect(throttleKeys('Ada@example.test', '192.0.2.1')).toEqual(['pair:ada@example.test|192.0.2.1', 'ip:192.0.2.1']);
    expect(throttleKeys('ada@example.test', '192.0.2.1').some((key) => key.startsWith('account:'))).toBe(false);
    expect([kindOf('pair:a|b'), kindOf('ip:1'), kindOf('account:a'), kindOf('email:a')]).toEqual(['pair', 'ip', 'account', null]);
  });
});

describe('pair waits', () => {
  it('five failures are free, then 30 s doubling up to an hour', () => {
    expect([1, 2, 3, 4].map((n) => pairWait(n))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map((n) => pairWait(n))).toEqual([30, 60, 120, 240]);
    expect(pairWait(11)).toBe(1_920);
    expect(pairWait(12)).toBe(3_600);
    expect(pairWait(1_000)).toBe(3_600);
  });

  it('while the account is under attack a pair has one free failure', () => {
    expect([1, 2, 3].map((n) => pairWait(n, true))).toEqual([30, 60, 120]);
    expect(pairWait(50, true)).toBe(3_600);
  });
});

describe('address limit', () => {
  it('locks for an hour at 100 failures, not before', () => {
    expect(addressWait(ADDRESS_FAILURES_PER_HOUR - 1)).toBe(0);
    expect(addressWait(ADDRESS_FAILURES_PER_HOUR)).toBe(3_600);
  });
});

describe('account slowing', () => {
  it('starts past 20 failures', () => {
    expect(accountUnderAttack(ACCOUNT_FAILURES_PER_HOUR)).toBe(false);
    expect(accountUnderAttack(ACCOUNT_FAILURES_PER_HOUR + 1)).toBe(true);
  });
});

describe('draining', () => {
  it('an address drains 100 an hour, an account 20, in whole failures', () => {
    expect(drainedLevel('ip', 100, 0)).toBe(100);
    expect(drainedLevel('ip', 100, 35)).toBe(100);
    expect(drainedLevel('ip', 100, 36)).toBe(99);
    expect(drainedLevel('ip', 100, 1_800)).toBe(50);
    expect(drainedLevel('ip', 100, 3_600)).toBe(0);
    expect(drainedLevel('account', 30, 1_800)).toBe(20);
    expect(drainedLevel('account', 30, 7_200)).toBe(0);
  });

  it('a pair does not drain; a quiet day forgets it', () => {
    expect(drainedLevel('pair', 7, 3_600)).toBe(7);
    expect(drainedLevel('pair', 7, 86_401)).toBe(0);
  });
});
