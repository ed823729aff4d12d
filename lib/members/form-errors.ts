import { EMAIL_MESSAGES } from './schemas';

/**
 * What the sign-up form's result page may say (`/subscribe?error=<code>`): a fixed list, so the
 * address bar never carries text of someone else's choosing onto our page. Pure.
 */
export const SUBSCRIBE_ERRORS = {
  ...EMAIL_MESSAGES,
  name: 'The name is too long (at most 100 characters) or has characters that are not allowed.',
  'too-many': 'Too many sign-ups from your network in the last hour. Please try again later.',
  'bad-request': 'The form could not be read. Please try again.',
  unavailable: 'Subscribing is not possible right now. Please try again in a moment.',
} as const;
export type SubscribeErrorCode = keyof typeof SUBSCRIBE_ERRORS;

/** The code of a refusal's message (the form's own fields), for the redirect. */
export function subscribeErrorCode(message: string, field: string | undefined): SubscribeErrorCode {
  const found = (Object.keys(EMAIL_MESSAGES) as (keyof typeof EMAIL_MESSAGES)[]).find((code) => EMAIL_MESSAGES[code] === message);
  if (found) return found;
  return field === 'name' ? 'name' : 'invalid';
}

export function subscribeErrorMessage(code: string | undefined): string | null {
  return code && Object.hasOwn(SUBSCRIBE_ERRORS, code) ? SUBSCRIBE_ERRORS[code as SubscribeErrorCode] : null;
}
