import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { passwordTokens, users } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { env } from '@/lib/env';
import { sendMail } from '@/lib/mail/transport';
import { countHit } from '@/lib/rate-limit';
import { getSiteSettings } from '@/lib/site/settings';
import { RESET_HOURS, RESET_MAIL_MINUTES, resetMessage } from './reset-mail';

/*
 * The job's side of a password reset (lib/jobs/tasks.ts), apart from ./password-reset.ts (the pages'
 * side, which reaches the viewer and the user admin): the job worker is compiled into the server
 * (scripts/build-server.mjs) and imports only what sending the mail needs.
 */

// The same SHA-256 as lib/users/mutations.ts hashToken (not imported, for the reason above).
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const payloadSchema = z.object({ email: z.string().max(254) });

/**
 * The `password_reset` job: for an enabled account with a password, at most one mail per
 * RESET_MAIL_MINUTES, with a new one-time link. The rate-limit row, the token and the audit entry
 * commit only once the mail was accepted (it is sent inside the transaction): a failed send is
 * retried without having spent the account's allowance.
 */
export async function runPasswordReset(payload: unknown): Promise<void> {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return;
  const [user] = await getDb()
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.email, parsed.data.email), isNull(users.disabledAt), isNotNull(users.passwordHash)))
    .limit(1);
  if (!user?.email) return;
  const site = await getSiteSettings();
  const { SITE_URL, MAIL_FROM } = env();
  await getDb().transaction(async (tx) => {
    if ((await countHit(`password-reset:${user.id}`, RESET_MAIL_MINUTES, tx)) > 1) return;
    const token = randomBytes(32).toString('base64url');
    await tx.insert(passwordTokens).values({
      tokenHash: hashToken(token),
      userId: user.id,
      purpose: 'reset',
      expiresAt: sql`now() + make_interval(hours => ${RESET_HOURS})`,
    });
    await recordAudit({ actorId: user.id, action: 'user.reset_sent', targetType: 'user', targetId: user.id }, tx);
    await sendMail(resetMessage({ to: user.email!, siteTitle: site.title, siteUrl: SITE_URL, mailFrom: MAIL_FROM, link: `${SITE_URL}/reset-password/${token}` }));
  });
}
