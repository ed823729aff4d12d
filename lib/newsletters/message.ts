import type { SendMailOptions } from 'nodemailer';
import { headerText, newsletterListId, newsletterMessageId } from '@/lib/mail/headers';
import { listUnsubscribeHeaders, unsubscribeUrl } from '@/lib/members/links';
import { personalise, type RenderedNewsletter } from './render';

export type Recipient = { memberId: string; email: string; name: string };

export type Envelope = { postId: string; from: SendMailOptions['from']; host: string };

/**
 * One member's message: the newsletter rendered once, their unsubscribe link, their address. Every
 * header value from our data goes through headerText (no CR/LF can start a header of its own);
 * List-Unsubscribe and List-Unsubscribe-Post make one-click unsubscribe work (RFC 8058).
 */
export function newsletterMessage(rendered: RenderedNewsletter, recipient: Recipient, envelope: Envelope): SendMailOptions {
  const { html, text } = personalise(rendered, unsubscribeUrl(recipient.memberId));
  const name = headerText(recipient.name, 200);
  return {
    from: envelope.from,
    to: name ? { name, address: recipient.email } : recipient.email,
    subject: rendered.subject,
    html,
    text,
    messageId: newsletterMessageId(envelope.postId, recipient.memberId, envelope.host),
    headers: {
      ...listUnsubscribeHeaders(recipient.memberId),
      'List-Id': newsletterListId(envelope.host),
      Precedence: 'bulk',
      'Auto-Submitted': 'auto-generated',
    },
  };
}
