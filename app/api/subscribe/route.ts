import { ValidationError, isDatabaseUnavailable } from '@/lib/auth/errors';
import { clientIp } from '@/lib/auth/ip';
import { env } from '@/lib/env';
import { readLimitedBody, sameOrigin } from '@/lib/media/upload-request';
import { subscribeErrorCode } from '@/lib/members/form-errors';
import { subscribe } from '@/lib/members/mutations';

export const dynamic = 'force-dynamic';

// The form's few short fields; anything bigger is not our form.
const MAX_BODY = 16 * 1024;

const seeOther = (location: string) => new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });

/**
 * The reader's sign-up form (components/site/subscribe-form.tsx), a plain POST that works without
 * JavaScript: 303 to "check your inbox" (the same for every address, and for the honeypot), or back
 * to /subscribe with the reason.
 */
export async function POST(request: Request): Promise<Response> {
  if (!sameOrigin(request, env().SITE_URL)) return new Response('Cross-site form posts are refused.', { status: 403, headers: { 'Cache-Control': 'no-store' } });
  const type = request.headers.get('content-type') ?? '';
  const body = type.startsWith('application/x-www-form-urlencoded') ? await readLimitedBody(request, MAX_BODY) : 'too-large';
  if (body === 'too-large') return seeOther('/subscribe?error=bad-request');
  const form = new URLSearchParams(new TextDecoder().decode(body));
  const field = (name: string) => form.get(name) ?? undefined;
  try {
    const outcome = await subscribe({ email: field('email') ?? '', name: field('name'), website: field('website') }, { ip: clientIp(request.headers) });
    return seeOther(outcome === 'sent' ? '/subscribe/sent' : '/subscribe?error=too-many');
  } catch (error) {
    if (error instanceof ValidationError) return seeOther(`/subscribe?error=${subscribeErrorCode(error.message, error.field)}`);
    if (isDatabaseUnavailable(error)) return seeOther('/subscribe?error=unavailable');
    throw error;
  }
}
