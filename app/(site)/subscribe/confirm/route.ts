import { confirmSubscription } from '@/lib/members/mutations';

export const dynamic = 'force-dynamic';

/** The link in a confirmation mail: confirms, then shows the outcome's page (confirmed, expired or invalid). */
export async function GET(request: Request): Promise<Response> {
  const outcome = await confirmSubscription(Object.fromEntries(new URL(request.url).searchParams));
  return new Response(null, { status: 303, headers: { Location: `/subscribe/${outcome}`, 'Cache-Control': 'no-store' } });
}
