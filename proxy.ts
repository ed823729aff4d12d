import { NextResponse, type NextFetchEvent } from 'next/server';
import { withAuth, type NextRequestWithAuth } from 'next-auth/middleware';
import { parseSlug } from '@/lib/params';
import { resolvePublicPath, type PublicKind } from '@/lib/site/exists';

/**
 * Two courtesies, no protection (every read and write in lib/ checks for itself; a proxy can be
 * skipped, CVE-2025-29927):
 * - signed-out visitors of /editor are sent to /login;
 * - a reader URL that leads nowhere is rewritten to an unmatched path, so the 404 page is rendered
 *   on the server and readable without JavaScript (Next.js 16 serves notFound() from a page as an
 *   empty document; unmatched paths render app/not-found.tsx properly);
 * - a renamed post's old slug answers 301 with the new URL (a page can only answer 308).
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
    // If the database cannot answer, let the page try (and fail) on its own terms.
    const path = key ? await resolvePublicPath(match[1] as PublicKind, key).catch(() => ({ found: true }) as const) : null;
    if (path?.found) return NextResponse.next();
    if (path?.movedTo) return NextResponse.redirect(new URL(path.movedTo, request.url), 301);
    return NextResponse.rewrite(new URL('/__not-found', request.url), { status: 404 });
  }
  return NextResponse.next();
}

export const config = { matcher: ['/editor/:path*', '/posts/:slug', '/tags/:slug', '/authors/:slug', '/preview/:token'] };
