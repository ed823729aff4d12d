/** Refusals the data-access layer throws; actions turn them into small, safe messages. */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(message = 'You need to sign in.') {
    super(message);
  }
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
  constructor(message = 'You are not allowed to do that.') {
    super(message);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(message = 'Not found.') {
    super(message);
  }
}

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class ConflictError<T = unknown> extends Error {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly current?: T,
  ) {
    super(message);
  }
}

export const knownErrors = [AuthError, ForbiddenError, NotFoundError, ValidationError, ConflictError];

export const DATABASE_UNAVAILABLE = 'The database cannot be reached right now, so nothing was saved. Your text is kept in this browser; try again in a moment.';

// Connection refused or reset, timeouts, and PostgreSQL's own "shutting down / starting up" codes.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (shutting down|starting up)/i;

/** True when an error (or its cause, as drizzle wraps them) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (UNAVAILABLE_MESSAGES.test(error.message)) return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

/** The message a person may see: ours verbatim, anything else a generic line (never internals). */
export function publicMessage(error: unknown): string {
  if (knownErrors.some((Known) => error instanceof Known)) return (error as Error).message;
  if (isDatabaseUnavailable(error)) {
    console.error(`[db] unavailable: ${(error as Error).message}`);
    return DATABASE_UNAVAILABLE;
  }
  console.error('[unexpected]', error);
  return 'Something went wrong. Nothing was changed; please try again.';
}
