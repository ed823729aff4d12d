import type { SendMailOptions } from 'nodemailer';
import { fromAddress, headerText, siteHost } from '@/lib/mail/headers';

/** A reset link works once, for an hour from when it is made. */
export const RESET_HOURS = 1;
/** At most one reset mail per account in this window, however often the form is sent. */
export const RESET_MAIL_MINUTES = 5;

/** The password-reset mail, built from plain values (pure). */
export type ResetMail = { to: string; siteTitle: string; siteUrl: string; mailFrom: string | undefined; link: string };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function resetMessage(mail: ResetMail): SendMailOptions {
  const title = headerText(mail.siteTitle, 120);
  return {
    from: fromAddress(mail.mailFrom, mail.siteTitle, siteHost(mail.siteUrl)),
    to: mail.to,
    subject: `Reset your password for ${title}`,
    headers: { 'Auto-Submitted': 'auto-generated' },
    text: [
      `Someone, hopefully you, asked to reset the password of your account at ${title}.`,
      '',
      'To choose a new password, open this link (it works once, for one hour):',
      mail.link,
      '',
      'Setting a new password signs you out everywhere. If it was not you, ignore this mail: your password stays as it is.',
      '',
    ].join('\n'),
    html: [
      `<p>Someone, hopefully you, asked to reset the password of your account at ${escapeHtml(title)}.</p>`,
      `<p><a href="${escapeHtml(mail.link)}">Choose a new password</a> (the link works once, for one hour).</p>`,
      '<p>Setting a new password signs you out everywhere. If it was not you, ignore this mail: your password stays as it is.</p>',
    ].join('\n'),
  };
}
