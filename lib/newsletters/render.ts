import { randomUUID } from 'node:crypto';
import { BODY_WIDTH, escapeHtml, FONT, mailBody, MAIL_WIDTH, SANS, absoluteUrl, tidy } from '@/lib/mail/html';
import { headerText } from '@/lib/mail/headers';
import { parseMediaUrl } from '@/lib/media/urls';

/**
 * A newsletter's message, rendered once per newsletter from the stored post (its sanitised HTML),
 * then personalised per member with nothing but the unsubscribe link: the marker, a random token no
 * post can contain, is replaced by the member's link. Pure.
 */
export type NewsletterPost = {
  title: string;
  subtitle: string;
  slug: string;
  html: string;
  heroImage: string | null;
  heroImageAlt: string;
  authorName: string;
  /** The text above the body's `<!--more-->`: the inbox's preview line (a hidden preheader) when there is one. */
  excerpt?: string;
};

export type NewsletterSite = { title: string; url: string; locale: string };

export type RenderedNewsletter = { subject: string; html: string; text: string; pageUrl: string; marker: string };

export function postUrl(siteUrl: string, slug: string): string {
  return `${siteUrl}/posts/${encodeURIComponent(slug)}`;
}

export function renderNewsletter(post: NewsletterPost, site: NewsletterSite): RenderedNewsletter {
  const pageUrl = postUrl(site.url, post.slug);
  const addresses = { siteUrl: site.url, pageUrl };
  const body = mailBody(post.html, addresses);
  const marker = `unsubscribe-${randomUUID()}`;
  const subject = headerText(post.title);
  const e = escapeHtml;
  const hero = heroImage(post, addresses);
  const html = `<!doctype html>
<html lang="${e(site.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${e(post.title)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f4;">
${preheader(post.excerpt)}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f4f4;">
<tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="${MAIL_WIDTH}" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:${MAIL_WIDTH}px;background:#ffffff;">
<tr><td style="padding:16px 32px;border-bottom:1px solid #eeeeee;font-family:${SANS};font-size:14px;color:#555555;">
<a href="${e(site.url)}/" style="color:#111111;font-weight:bold;text-decoration:none;">${e(site.title)}</a>
&nbsp;·&nbsp;<a href="${e(pageUrl)}" style="color:#555555;text-decoration:underline;">View on the web</a>
</td></tr>
<tr><td style="padding:24px 32px 0;">
<h1 style="font-family:${FONT};font-size:32px;line-height:1.2;margin:0 0 8px;color:#111111;">${e(post.title)}</h1>
${post.subtitle ? `<p style="font-family:${FONT};font-size:19px;line-height:1.4;margin:0 0 8px;color:#444444;">${e(post.subtitle)}</p>\n` : ''}<p style="font-family:${SANS};font-size:14px;margin:0 0 16px;color:#666666;">By ${e(post.authorName)}</p>
${hero}</td></tr>
<tr><td style="padding:8px 32px 16px;">
${body.html}
</td></tr>
<tr><td style="padding:16px 32px 24px;border-top:1px solid #eeeeee;font-family:${SANS};font-size:13px;line-height:1.5;color:#666666;">
You are receiving this because you subscribed to ${e(site.title)}.<br>
<a href="${marker}" style="color:#666666;text-decoration:underline;">Unsubscribe</a>
&nbsp;·&nbsp;<a href="${e(pageUrl)}" style="color:#666666;text-decoration:underline;">View on the web</a>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
  const text = tidy(
    [
      post.title,
      post.subtitle,
      `By ${post.authorName}`,
      `View on the web: ${pageUrl}`,
      '',
      body.text,
      '',
      '--',
      `You are receiving this because you subscribed to ${site.title}.`,
      `Unsubscribe: ${marker}`,
    ]
      .filter((line, i) => i !== 1 || line)
      .join('\n'),
  );
  return { subject, html, text, pageUrl, marker };
}

/** Mail clients show the first text of the body beside the subject: the excerpt, not the site's name. */
function preheader(excerpt: string | undefined): string {
  if (!excerpt) return '';
  return `<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;font-size:1px;line-height:1px;color:#f4f4f4;">${escapeHtml(excerpt)}</div>\n`;
}

function heroImage(post: NewsletterPost, addresses: { siteUrl: string; pageUrl: string }): string {
  const src = post.heroImage ? absoluteUrl(post.heroImage, addresses, ['http:', 'https:']) : null;
  if (!src) return '';
  const media = parseMediaUrl(post.heroImage!);
  const size = media ? ` width="${BODY_WIDTH}" height="${Math.round((media.height * BODY_WIDTH) / media.width)}"` : ` width="${BODY_WIDTH}"`;
  return `<img src="${escapeHtml(src)}" alt="${escapeHtml(post.heroImageAlt)}"${size} style="display:block;width:100%;max-width:${BODY_WIDTH}px;height:auto;border:0;margin:0 0 16px;">\n`;
}

/** One member's copy: the unsubscribe link in place of the marker, escaped for HTML in the HTML part. */
export function personalise(rendered: RenderedNewsletter, unsubscribeUrl: string): { html: string; text: string } {
  return {
    html: rendered.html.split(rendered.marker).join(escapeHtml(unsubscribeUrl)),
    text: rendered.text.split(rendered.marker).join(unsubscribeUrl),
  };
}
