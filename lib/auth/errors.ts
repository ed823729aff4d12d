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

/** The message a person may see: ours verbatim, anything else a generic line (never internals). */
export function publicMessage(error: unknown): string {
  if (knownErrors.some((Known) => error instanceof Known)) return (error as Error).message;
  console.error('[unexpected]', error);
  return 'Something went wrong. Nothing was changed; please try again.';
}
