import { z } from 'zod';
import { MAX_PASSWORD } from './password';

/** The forms' inputs for two-factor sign-in (lib/auth/two-factor*.ts parse them again). */

const digits = z
  .string('Enter the six-digit code from your app.')
  .transform((value) => value.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'Enter the six-digit code from your app.'));

/** A button with nothing to send (Next.js adds its own `$ACTION_…` fields, which are ignored). */
export const noInputSchema = z.object({});

export const confirmTwoFactorSchema = z.object({ code: digits });

const blankIsNone = (max: number) =>
  z
    .string()
    .max(max, 'That password or code is not right.')
    .optional()
    .transform((value) => (value && value.trim() ? value : undefined));

/** Turning two-factor sign-in off, or new recovery codes: the current password, or a code (TOTP or recovery). */
export const passwordOrCodeSchema = z
  .object({ password: blankIsNone(MAX_PASSWORD), code: blankIsNone(64) })
  .refine((v) => v.password !== undefined || v.code !== undefined, { message: 'Enter your password or a code from your app.', path: ['password'] });

export const requireTwoFactorSchema = z.object({ required: z.boolean('Say whether two-factor sign-in is required.') });

/** A second factor typed at sign-in: six digits or a recovery code, as typed (lib/auth/two-factor.ts reads it). */
export const signInCodeSchema = z.string().max(64).optional();
