import { z } from 'zod';
import { memberStatuses } from '@/db/schema';

export const MAX_EMAIL = 254;
export const MAX_MEMBER_NAME = 100;

// Checked before anything is trimmed: "a@b.c\r\nBcc: …" is refused, never quietly cleaned.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// One mailbox, ASCII, the domain with a dot: what lib/mail will put in To (nothing that could make
// one address several, or end a header).
const ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export const EMAIL_MESSAGES = {
  missing: 'Enter your email address.',
  control: 'That email address has characters that are not allowed (line breaks or control characters).',
  long: `That email address is too long (at most ${MAX_EMAIL} characters).`,
  several: 'Enter one email address only.',
  named: 'Enter just the address (name@example.com), without a name or angle brackets.',
  invalid: 'Enter a valid email address, like name@example.com.',
} as const;

/** Why `raw` is not one plain email address, or null when it is. */
function emailProblem(raw: string): string | null {
  if (CONTROL.test(raw)) return EMAIL_MESSAGES.control;
  const text = raw.trim();
  if (!text) return EMAIL_MESSAGES.missing;
  if (text.length > MAX_EMAIL) return EMAIL_MESSAGES.long;
  if (/[<>"]/.test(text)) return EMAIL_MESSAGES.named;
  if (/[,;\s]/.test(text)) return EMAIL_MESSAGES.several;
  if (!ADDRESS.test(text.toLowerCase())) return EMAIL_MESSAGES.invalid;
  return null;
}

/** A member's address: one plain mailbox, lower-cased (members_email_key is a plain unique index). */
export const memberEmailSchema = z
  .string(EMAIL_MESSAGES.missing)
  .max(MAX_EMAIL * 4, EMAIL_MESSAGES.long)
  .transform((raw, ctx) => {
    const problem = emailProblem(raw);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return raw.trim().toLowerCase();
  });

export const memberNameSchema = z
  .string()
  .max(MAX_MEMBER_NAME * 4, `A name is at most ${MAX_MEMBER_NAME} characters.`)
  .refine((v) => !CONTROL.test(v), 'The name has characters that are not allowed.')
  .transform((v) => v.trim())
  .refine((v) => v.length <= MAX_MEMBER_NAME, `A name is at most ${MAX_MEMBER_NAME} characters.`)
  .optional()
  .transform((v) => v ?? '');

/** The honeypot: a field people never see. Anything in it marks a bot. */
export const HONEYPOT_FIELD = 'website';

/** The reader's sign-up form. */
export const subscribeSchema = z.object({
  email: memberEmailSchema,
  name: memberNameSchema,
  [HONEYPOT_FIELD]: z.string().max(10_000).optional(),
});
export type SubscribeInput = z.input<typeof subscribeSchema>;

/** An editor adding one member: subscribed at once only when they say the person agreed. */
export const addMemberSchema = z.object({
  email: memberEmailSchema,
  name: memberNameSchema,
  consent: z
    .union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('')])
    .optional()
    .transform((v) => v === true || v === 'on' || v === 'true'),
});
export type AddMemberInput = z.input<typeof addMemberSchema>;

export const memberIdSchema = z.object({ id: z.uuid('Unknown member.') });

export const memberStatusSchema = z.enum(memberStatuses, 'The status is pending, subscribed, unsubscribed or bounced.');

/** The list's search box, status filter and keyset cursor, from the query string. */
export const memberListSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: memberStatusSchema.optional().catch(undefined),
  after: z.string().max(3000).optional().catch(undefined),
});
export type MemberListFilter = z.input<typeof memberListSchema>;

/** The links' query strings (./signing.ts). Anything malformed is simply not a valid link. */
const signature = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
export const confirmLinkSchema = z.object({ m: z.uuid(), x: z.coerce.number().int().positive(), s: signature });
export const unsubscribeLinkSchema = z.object({ m: z.uuid(), s: signature });

// A server action's body is at most 1 MB (Next.js's default).
export const MAX_CSV_BYTES = 1000 * 1000;
export const MAX_CSV_ROWS = 50_000;
export const CSV_TOO_LARGE = 'The file is larger than 1 MB: split it into several.';
export const memberCsvSchema = z.object({
  csv: z
    .string('Choose a CSV file.')
    .max(MAX_CSV_BYTES, CSV_TOO_LARGE)
    .refine((text) => text.trim().length > 0, 'Choose a CSV file: this one is empty.'),
});
