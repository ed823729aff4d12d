/**
 * The sign-in throttle's rules, pure (no I/O) so they can be read as a table and tested alone;
 * lib/auth/throttle.ts keeps the counts in login_throttle and applies these.
 *
 * - `pair:<email>|<ip>` (one account from one address): five failures are free, then each failure
 *   doubles a wait (30 s, 1 min, 2 min… at most an hour); a quiet day forgets the count.
 * - `ip:<ip>` (one address, any account): up to 100 failures an hour. The count drains at 100 an
 *   hour; reaching 100 locks the address for an hour, by when it has drained to nothing.
 * - `account:<email>` (one account, any address): never a lock, only a slowing. Past 20 failures an
 *   hour (drained like the address) the account is under attack: every failed attempt on it is
 *   answered a second later, and a pair has one free failure instead of five. A right password from
 *   a pair that has no wait is never refused, so nobody else's failures can keep the owner out.
 *
 * Only the pair and the address are ever answered 429 (before any password work).
 */
export const PAIR_FREE_FAILURES = 5;
export const PAIR_FREE_FAILURES_UNDER_ATTACK = 1;
export const BASE_WAIT_SECONDS = 30;
export const MAX_WAIT_SECONDS = 3_600;
export const ADDRESS_FAILURES_PER_HOUR = 100;
export const ADDRESS_LOCK_SECONDS = 3_600;
export const ACCOUNT_FAILURES_PER_HOUR = 20;
export const ACCOUNT_SLOWDOWN_MS = 1_000;

export type ThrottleKind = 'pair' | 'ip' | 'account';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
export const pairKey = (email: string, ip: string) => `pair:${normaliseEmail(email)}|${ip}`;
export const ipKey = (ip: string) => `ip:${ip}`;
export const accountKey = (email: string) => `account:${normaliseEmail(email)}`;

/** The keys that can refuse a sign-in with 429: the pair and the address, never the account alone. */
export function throttleKeys(email: string, ip: string): string[] {
  return [pairKey(email, ip), ipKey(ip)];
}

export function kindOf(key: string): ThrottleKind | null {
  const prefix = key.slice(0, key.indexOf(':'));
  return prefix === 'pair' || prefix === 'ip' || prefix === 'account' ? prefix : null;
}

/** Seconds a pair waits after its `failures`-th failure in a row (0: none). */
export function pairWait(failures: number, accountUnderAttack = false): number {
  const free = accountUnderAttack ? PAIR_FREE_FAILURES_UNDER_ATTACK : PAIR_FREE_FAILURES;
  if (failures < free) return 0;
  return Math.min(MAX_WAIT_SECONDS, BASE_WAIT_SECONDS * 2 ** (failures - free));
}

/** Seconds an address waits once its drained count reaches `level`. */
export function addressWait(level: number): number {
  return level >= ADDRESS_FAILURES_PER_HOUR ? ADDRESS_LOCK_SECONDS : 0;
}

export function accountUnderAttack(level: number): boolean {
  return level > ACCOUNT_FAILURES_PER_HOUR;
}

/** Failures an address or account drains per hour (its limit); pairs do not drain, they forget after a quiet day. */
export function drainPerHour(kind: ThrottleKind): number {
  return kind === 'ip' ? ADDRESS_FAILURES_PER_HOUR : kind === 'account' ? ACCOUNT_FAILURES_PER_HOUR : 0;
}

/** A drained count now, `secondsSince` its last failure (whole failures only, as the database computes it). */
export function drainedLevel(kind: ThrottleKind, failures: number, secondsSince: number): number {
  if (kind === 'pair') return secondsSince > 86_400 ? 0 : failures;
  return Math.max(0, failures - Math.floor((Math.max(0, secondsSince) * drainPerHour(kind)) / 3_600));
}
