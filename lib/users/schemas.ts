import { z } from 'zod';
import { roles } from '@/db/schema';
import { ValidationError } from '@/lib/auth/errors';
import { MAX_PASSWORD, MIN_PASSWORD } from '@/lib/auth/password';

export const MAX_NAME = 100;

// PostgreSQL refuses NUL in text, and no name or label needs control characters.
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A trimmed single-line text field. */
export function lineSchema(label: string, max: number) {
  return z
    .string(`Enter ${label}.`)
    .trim()
    .max(max, `${label[0].toUpperCase()}${label.slice(1)} is at most ${max} characters.`)
    .refine((v) => !CONTROL.test(v), `${label[0].toUpperCase()}${label.slice(1)} has characters that are not allowed.`);
}

/** A trimmed text field that may span lines. */
export function textSchema(label: string, max: number) {
  return z
    .string()
    .trim()
    .max(max, `${label[0].toUpperCase()}${label.slice(1)} is at most ${max} characters.`)
    .refine((v) => !CONTROL_EXCEPT_NEWLINES.test(v), `${label[0].toUpperCase()}${label.slice(1)} has characters that are not allowed.`);
}

export const nameSchema = lineSchema('a name', MAX_NAME).min(1, 'Enter a name.');

/** Emails are stored lower-cased (users_email_key is a plain unique index). */
export const emailSchema = z
  .string('Enter an email address.')
  .trim()
  .toLowerCase()
  .max(254, 'That email address is too long.')
  .pipe(z.email('Enter a valid email address.'));

/** Never trimmed: spaces are part of a passphrase. */
export const passwordSchema = z
  .string('Enter a password.')
  .min(MIN_PASSWORD, `A password needs at least ${MIN_PASSWORD} characters.`)
  .max(MAX_PASSWORD, `A password is at most ${MAX_PASSWORD} characters.`);

export const roleSchema = z.enum(roles, 'Pick a role.');
export const userIdSchema = z.uuid('Unknown user.');

/** An invite token as we issue it: 32 random bytes, base64url (43 characters). */
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This invite link is not valid.');

export const setupSchema = z.object({ name: nameSchema, email: emailSchema, password: passwordSchema });
export const inviteSchema = z.object({ name: nameSchema, email: emailSchema, role: roleSchema });
export const acceptInviteSchema = z.object({ token: inviteTokenSchema, password: passwordSchema });
export const changeRoleSchema = z.object({ userId: userIdSchema, role: roleSchema });
export const setDisabledSchema = z.object({ userId: userIdSchema, disabled: z.boolean() });

/** The forms ask for the password twice; only the layer's fields go on. */
const confirmed = { message: 'The two passwords do not match.', path: ['confirm'] };
const same = (v: { password: string; confirm: string }) => v.password === v.confirm;
export const setupFormSchema = setupSchema.extend({ confirm: z.string() }).refine(same, confirmed);
export const acceptInviteFormSchema = acceptInviteSchema.extend({ confirm: z.string() }).refine(same, confirmed);

/**
 * Parses a layer function's input (the layer is called by actions, scripts and tests alike):
 * the first problem becomes a ValidationError naming its field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ValidationError(issue.message, issue.path.at(-1)?.toString());
}
