import type { SendMailOptions } from 'nodemailer';
import { fromAddress, headerText, siteHost } from '@/lib/mail/headers';

/**
 * The confirmation mail, built from plain values (pure). It never repeats the name the form was
 * given: a stranger's text in a mail we send to any address is how sign-up forms get used for spam.
 */
export type ConfirmationMail = { to: string; siteTitle: string; siteUrl: string; mailFrom: string | undefined; link: string };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function confirmationMessage(mail: ConfirmationMail): SendMailOptions {
  const title = headerText(mail.siteTitle, 120);
  return {
    from: fromAddress(mail.mailFrom, mail.siteTitle, siteHost(mail.siteUrl)),
    to: mail.to,
    subject: `Confirm your subscription to ${title}`,
    headers: { 'Auto-Submitted': 'auto-generated' },
    text: [
      `Someone, hopefully you, asked to receive ${title} by email at this address.`,
      '',
      'To confirm, open this link (it works for 48 hours):',
      mail.link,
      '',
      'If it was not you, ignore this mail: nothing more will be sent.',
      '',
    ].join('\n'),
    html: [
      `<p>Someone, hopefully you, asked to receive ${escapeHtml(title)} by email at this address.</p>`,
      `<p><a href="${escapeHtml(mail.link)}">Confirm your subscription</a> (the link works for 48 hours).</p>`,
      '<p>If it was not you, ignore this mail: nothing more will be sent.</p>',
    ].join('\n'),
  };
}
