/**
 * What authorize() throws for the sign-in form (next-auth puts the message in the answer's `error`):
 * the password was right but the account wants a code, or the code was wrong. No imports: the
 * browser's login form reads these too.
 */
export const TWO_FACTOR_REQUIRED = 'two-factor-required';
export const TWO_FACTOR_INVALID = 'two-factor-invalid';
