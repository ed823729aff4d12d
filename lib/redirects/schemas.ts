import { z } from 'zod';
import { isSiteAddress, normalizeRedirectPath } from './paths';

export const MAX_FROM = 1000;
export const MAX_TARGET = 2000;
export const REDIRECT_STATUSES = [301, 302] as const;
export type RedirectStatus = (typeof REDIRECT_STATUSES)[number];

const CONTROL = /[\u0000-\u001f\u007f]/;
const PLACEHOLDER = 'http://placeholder.invalid';

export const FROM_MESSAGE = 'The old address must be a path starting with / (or a full http(s) URL of the old site).';
export const TO_MESSAGE = 'Where it goes must be a path starting with / or an http(s):// URL.';

/**
 * Where a redirect sends readers, as it will be written in the Location header: a root-relative
 * path (`/posts/x`, percent-encoded) or an http(s) URL. Null for anything else, `//host` and
 * `/\host` included (a browser reads those as another site).
 */
export function normalizeRedirectTarget(input: string): string | null {
  const text = input.trim();
  if (!text || text.length > MAX_TARGET || CONTROL.test(text)) return null;
  try {
    if (/^https?:\/\//i.test(text)) {
      const url = new URL(text);
      return url.host && url.href.length <= MAX_TARGET ? url.href : null;
    }
    if (!text.startsWith('/') || text.startsWith('//') || text.startsWith('/\\')) return null;
    const url = new URL(text, PLACEHOLDER);
    if (url.origin !== PLACEHOLDER) return null;
    const target = `${url.pathname}${url.search}${url.hash}`;
    return target.length <= MAX_TARGET ? target : null;
  } catch {
    return null;
  }
}

/** The old address, in its normal form (lib/redirects/paths.ts); never one the site answers itself. */
export const redirectFromSchema = z
  .string('Enter the old address.')
  .max(MAX_FROM, `The old address is at most ${MAX_FROM.toLocaleString('en')} characters.`)
  .transform((value, ctx) => {
    const from = normalizeRedirectPath(value);
    if (!from) {
      ctx.addIssue({ code: 'custom', message: value.trim() ? FROM_MESSAGE : 'Enter the old address.' });
      return z.NEVER;
    }
    if (isSiteAddress(from)) {
      ctx.addIssue({ code: 'custom', message: `${from} is answered by the site itself: a redirect from it would never be followed.` });
      return z.NEVER;
    }
    return from;
  });

export const redirectToSchema = z
  .string('Enter where it goes.')
  .max(MAX_TARGET, `Where it goes is at most ${MAX_TARGET.toLocaleString('en')} characters.`)
  .transform((value, ctx) => {
    const to = normalizeRedirectTarget(value);
    if (!to) {
      ctx.addIssue({ code: 'custom', message: value.trim() ? TO_MESSAGE : 'Enter where it goes.' });
      return z.NEVER;
    }
    return to;
  });

export const redirectStatusSchema = z.coerce
  .number('The status is 301 (permanent) or 302 (temporary).')
  .refine((n): n is RedirectStatus => n === 301 || n === 302, 'The status is 301 (permanent) or 302 (temporary).')
  .transform((n) => n as RedirectStatus);

export const redirectInputSchema = z.object({
  from: redirectFromSchema,
  to: redirectToSchema,
  status: redirectStatusSchema.default(301),
});
export type RedirectInput = z.input<typeof redirectInputSchema>;
export type ParsedRedirect = z.output<typeof redirectInputSchema>;

/** A stored redirect, named by its (already normal) from address. */
export const redirectKeySchema = z.object({
  from: z
    .string()
    .min(1)
    .max(MAX_TARGET)
    .regex(/^\/[^\u0000-\u001f\u007f]*$/, 'Unknown redirect.'),
});

/** The list's search box and keyset cursor, from the query string. */
export const redirectListSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  after: z.string().max(3000).optional().catch(undefined),
});
export type RedirectListFilter = z.input<typeof redirectListSchema>;

/** The CSV file from the import form. */
// A server action's body is at most 1 MB (Next.js's default): about 15,000 redirects.
export const MAX_CSV_BYTES = 1000 * 1000;
export const MAX_CSV_ROWS = 50_000;
export const CSV_TOO_LARGE = 'The file is larger than 1 MB: split it into several (each line replaces the redirect from its address).';
export const redirectCsvSchema = z.object({
  csv: z
    .string('Choose a CSV file.')
    .max(MAX_CSV_BYTES, CSV_TOO_LARGE)
    .refine((text) => text.trim().length > 0, 'Choose a CSV file: this one is empty.'),
});
