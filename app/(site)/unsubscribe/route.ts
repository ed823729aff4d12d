import { readLimitedBody } from '@/lib/media/upload-request';
import { isUnsubscribeLink } from '@/lib/members/links';
import { unsubscribeMember } from '@/lib/members/mutations';

export const dynamic = 'force-dynamic';

const MAX_BODY = 4 * 1024;
const noStore = { 'Cache-Control': 'no-store' };
const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location, ...noStore } });

/**
 * A member's unsubscribe link (lib/members/links.ts), signed, usable without signing in.
 * GET never changes anything (mail scanners follow links): it shows the page with the button.
 * POST unsubscribes: RFC 8058's one-click (`List-Unsubscribe=One-Click`, from a mail client) is
 * answered 200; the page's button goes on to the "unsubscribed" page. No same-origin check: the
 * signature is the permission, and one-click posts come from mail providers' servers.
 */
export async function GET(request: Request): Promise<Response> {
  const query = new URL(request.url).searchParams;
  if (!isUnsubscribeLink(Object.fromEntries(query))) return seeOther('/unsubscribe/invalid');
  return seeOther(`/unsubscribe/confirm?${new URLSearchParams({ m: query.get('m')!, s: query.get('s')! })}`);
}

export async function POST(request: Request): Promise<Response> {
  const body = await readLimitedBody(request, MAX_BODY);
  const form = new URLSearchParams(body === 'too-large' ? '' : new TextDecoder().decode(body));
  const oneClick = form.get('List-Unsubscribe') === 'One-Click';
  const outcome = await unsubscribeMember(Object.fromEntries(new URL(request.url).searchParams));
  if (oneClick) {
    return new Response(outcome === 'unsubscribed' ? 'Unsubscribed.\n' : 'This unsubscribe link is not valid.\n', {
      status: outcome === 'unsubscribed' ? 200 : 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', ...noStore },
    });
  }
  return seeOther(outcome === 'unsubscribed' ? '/unsubscribe/done' : '/unsubscribe/invalid');
}
