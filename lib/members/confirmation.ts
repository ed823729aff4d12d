import 'server-only';
import { z } from 'zod';
import { env } from '@/lib/env';
import { sendMail } from '@/lib/mail/transport';
import { getSiteSettings } from '@/lib/site/settings';
import { confirmationUrl } from './links';
import { confirmationMessage } from './mail';
import { getMemberRecipient } from './queries';

const payloadSchema = z.object({ memberId: z.uuid() });

/**
 * The `member_confirmation` job (lib/jobs/tasks.ts): mails the confirmation link to a member who is
 * still pending. A member confirmed, unsubscribed or deleted since gets nothing. The link's 48 hours
 * start when the mail is sent.
 */
export async function runMemberConfirmation(payload: unknown): Promise<void> {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return;
  const member = await getMemberRecipient(parsed.data.memberId);
  if (!member || member.status !== 'pending') return;
  const site = await getSiteSettings();
  const { SITE_URL, MAIL_FROM } = env();
  await sendMail(confirmationMessage({ to: member.email, siteTitle: site.title, siteUrl: SITE_URL, mailFrom: MAIL_FROM, link: confirmationUrl(member.id) }));
}
