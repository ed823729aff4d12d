import { z } from 'zod';
import { emailSchema, inviteTokenSchema, passwordSchema } from '@/lib/users/schemas';
import { MAX_PASSWORD } from './password';

export const sessionIdSchema = z.object({ sessionId: z.uuid('Unknown session.') });
export const userIdInputSchema = z.object({ userId: z.uuid('Unknown user.') });
export const endSessionsSchema = z.object({ which: z.enum(['others', 'all'], 'Pick which sessions to end.') });

export const changePasswordSchema = z.object({
  current: z.string('Enter your current password.').min(1, 'Enter your current password.').max(MAX_PASSWORD, 'Your current password is not right.'),
  password: passwordSchema,
});

export const forgotPasswordSchema = z.object({ email: emailSchema });
/** A reset token as we issue it: 32 random bytes, base64url, like an invitation's. */
export const resetPasswordSchema = z.object({ token: inviteTokenSchema, password: passwordSchema });

/** The forms ask for the new password twice; only the layer's fields go on. */
const confirmed = { message: 'The two passwords do not match.', path: ['confirm'] };
const same = (v: { password: string; confirm: string }) => v.password === v.confirm;
export const changePasswordFormSchema = changePasswordSchema.extend({ confirm: z.string() }).refine(same, confirmed);
export const resetPasswordFormSchema = resetPasswordSchema.extend({ confirm: z.string() }).refine(same, confirmed);
