import { NextResponse, type NextFetchEvent } from 'next/server';
import { withAuth, type NextRequestWithAuth } from 'next-auth/middleware';
import { parseSlug } from '@/lib/params';
import { previewExists } from '@/lib/site/exists';

/**
 * Courtesies, no protection (every read and write in lib/ checks for itself; a proxy can be
 * skipped, CVE-2025-29927):
 * - signed-out visitors of /editor are sent to /login;
 * - a preview link that leads nowhere is rewritten to the 404 page's own address, so the 404 page is
 *   rendered on the server and readable without JavaScript (Next.js 16 streams notFound() from a
 *   dynamic page as an empty document).
 * Cached reader pages never pass through here: the page cache answers them, 404s and renamed
 * posts' redirects included (lib/server/respond.ts gives their 404s the server-rendered page).
 */
const authProxy = withAuth({
  secret: process.env.AUTH_SECRET,
  pages: { signIn: '/login' },
});

const PREVIEW = /^\/preview\/([^/]+)\/?$/;

export async function proxy(request: NextRequestWithAuth, event: NextFetchEvent) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith('/editor')) {
    // Server actions answer for themselves (the layer refuses, the form says "sign in again");
    // a redirect would reach the form as a network failure.
    if (request.headers.has('next-action')) return NextResponse.next();
    return authProxy(request, event);
  }
  const match = PREVIEW.exec(pathname);
  if (match) {
    const token = parseSlug(match[1]);
    // If the database cannot answer, let the page try (and fail) on its own terms.
    const found = token ? await previewExists(token).catch(() => true) : false;
    if (found) return NextResponse.next();
    // The 404 page as a document of its own (app/(site)/%5Fbroadsheet/not-found), answered with 404.
    return NextResponse.rewrite(new URL('/_broadsheet/not-found', request.url), { status: 404 });
  }
  return NextResponse.next();
}

// Literal objects: Next.js reads this export without running it.
export const config = {
  matcher: ['/editor/:path*', '/preview/:token'],
};
