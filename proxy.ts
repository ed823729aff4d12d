import { NextResponse, type NextFetchEvent } from 'next/server';
import { withAuth, type NextRequestWithAuth } from 'next-auth/middleware';
import { parseSlug } from '@/lib/params';
import { publicPathExists, type PublicKind } from '@/lib/site/exists';

/**
 * Two courtesies, no protection (every read and write in lib/ checks for itself; a proxy can be
 * skipped, CVE-2025-29927):
 * - signed-out visitors of /editor are sent to /login;
 * - a reader URL that leads nowhere is rewritten to an unmatched path, so the 404 page is rendered
 *   on the server and readable without JavaScript (Next.js 16 serves notFound() from a page as an
 *   empty document; unmatched paths render app/not-found.tsx properly).
 */
const authProxy = withAuth({
  secret: process.env.AUTH_SECRET,
  pages: { signIn: '/login' },
});

const READER = /^\/(posts|tags|authors|preview)\/([^/]+)\/?$/;

export async function proxy(request: NextRequestWithAuth, event: NextFetchEvent) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith('/editor')) {
    // Server actions answer for themselves (the layer refuses, the form says "sign in again");
    // a redirect would reach the form as a network failure.
    if (request.headers.has('next-action')) return NextResponse.next();
    return authProxy(request, event);
  }
  const match = READER.exec(pathname);
  if (match) {
    const key = parseSlug(match[2]);
    const exists = key ? await publicPathExists(match[1] as PublicKind, key).catch(() => true) : false;
    if (!exists) return NextResponse.rewrite(new URL('/__not-found', request.url), { status: 404 });
  }
  return NextResponse.next();
}

export const config = { matcher: ['/editor/:path*', '/posts/:slug', '/tags/:slug', '/authors/:slug', '/preview/:token'] };
