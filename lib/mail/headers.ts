/**
 * What goes into a mail header from our data (a post title, a member's name, the site's title):
 * control characters (CR and LF above all) become spaces, so no value can end a header and start
 * another; nodemailer then encodes what is not plain ASCII (RFC 2047). Pure.
 */
export function headerText(value: string, max = 998): string {
  return value
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

/**
 * An address we are willing to put in To: one mailbox, no spaces, quotes, brackets, commas or control
 * characters (any of which could make one address several, or a header more than one). Members'
 * addresses are checked when they subscribe; this is the last check before a send.
 */
const ADDRESS = /^[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export function isSendableAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

/** The host of the site's URL, for Message-IDs, List-Id and the default From. */
export function siteHost(siteUrl: string): string {
  return new URL(siteUrl).hostname;
}

/** The same Message-ID every time a (post, member) message is built: a resend is recognisably the same message. */
export function newsletterMessageId(postId: string, memberId: string, host: string): string {
  return `<newsletter.${postId}.${memberId}@${host}>`;
}

/** RFC 2919 List-Id: one list, the site's newsletter. */
export function newsletterListId(host: string): string {
  return `<newsletter.${host}>`;
}

/** MAIL_FROM, else `Site title <noreply@host>`, as nodemailer's address object when we build it. */
export function fromAddress(mailFrom: string | undefined, siteTitle: string, host: string): string | { name: string; address: string } {
  if (mailFrom) return headerText(mailFrom);
  return { name: headerText(siteTitle, 120), address: `noreply@${host}` };
}
