import 'server-only';
import { env } from '@/lib/env';
import { unsubscribeLinkSchema } from './schemas';
import { checkUnsubscribe, CONFIRMATION_TTL_MS, signConfirmation, signUnsubscribe } from './signing';

/**
 * The absolute links a member's mail carries, signed with AUTH_SECRET (./signing.ts). The
 * newsletter calls unsubscribeUrl and listUnsubscribeHeaders: keep these exports stable.
 */

/** The member's unsubscribe page; the same URL takes RFC 8058's one-click POST. Never expires. */
export function unsubscribeUrl(memberId: string): string {
  const { SITE_URL, AUTH_SECRET } = env();
  return `${SITE_URL}/unsubscribe?${new URLSearchParams({ m: memberId, s: signUnsubscribe(AUTH_SECRET, memberId) })}`;
}

/** The headers that let mail clients offer "Unsubscribe" (RFC 2369) in one click (RFC 8058). */
export function listUnsubscribeHeaders(memberId: string): { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } {
  return { 'List-Unsubscribe': `<${unsubscribeUrl(memberId)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** The link in a confirmation mail: valid for 48 hours from `now`. */
export function confirmationUrl(memberId: string, now: number = Date.now()): string {
  const { SITE_URL, AUTH_SECRET } = env();
  const expires = Math.floor((now + CONFIRMATION_TTL_MS) / 1000);
  return `${SITE_URL}/subscribe/confirm?${new URLSearchParams({ m: memberId, x: String(expires), s: signConfirmation(AUTH_SECRET, memberId, expires) })}`;
}

/** True when `m` and `s` are an unsubscribe link we signed (no database: the page asks before any change). */
export function isUnsubscribeLink(link: Record<string, unknown>): boolean {
  const parsed = unsubscribeLinkSchema.safeParse(link);
  return parsed.success && checkUnsubscribe(env().AUTH_SECRET, parsed.data.m, parsed.data.s);
}
