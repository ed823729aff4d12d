import NextAuth from 'next-auth';
import { z } from 'zod';
import { clientIp } from '@/lib/auth/ip';
import { getAuthOptions } from '@/lib/auth/options';
import { retryAfterSeconds, throttleKeys } from '@/lib/auth/throttle';

type Context = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: Context) {
  return NextAuth(getAuthOptions())(request, context);
}

/** next-auth's endpoints; a throttled credentials sign-in is refused with 429 and Retry-After before any password work. */
export async function POST(request: Request, context: Context) {
  const { nextauth } = await context.params;
  if (nextauth.join('/') === 'callback/credentials') {
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    const email = z
      .string()
      .max(254)
      .catch('')
      .parse(form?.get('email') ?? '');
    const wait = await retryAfterSeconds(throttleKeys(email, clientIp(request.headers)));
    if (wait > 0) {
      return Response.json({ error: 'TooManyAttempts', retryAfter: wait }, { status: 429, headers: { 'Retry-After': String(wait), 'Cache-Control': 'no-store' } });
    }
  }
  return handler(request, context);
}

/** next-auth's own pages and JSON endpoints (session, csrf, providers, OAuth callbacks). */
export function GET(request: Request, context: Context) {
  return handler(request, context);
}
