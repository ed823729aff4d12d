/** Bounds of a Content API key, shared by the form (a client component) and the schemas. */
export const MAX_CONTENT_API_KEYS = 50;
export const MAX_KEY_NAME = 80;
export const DEFAULT_RATE_LIMIT = 600;
export const MAX_RATE_LIMIT = 100_000;
