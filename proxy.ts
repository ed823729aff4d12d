import type { NextFetchEvent } from 'next/server';
import { withAuth, type NextRequestWithAuth } from 'next-auth/middleware';

/**
 * A courtesy redirect to /login for signed-out visitors of /editor. It protects nothing: every
 * read and write in lib/ checks the viewer itself (a proxy can be skipped; CVE-2025-29927).
 */
const authProxy = withAuth({
  secret: process.env.AUTH_SECRET,
  pages: { signIn: '/login' },
});

export function proxy(request: NextRequestWithAuth, event: NextFetchEvent) {
  return authProxy(request, event);
}

export const config = { matcher: ['/editor/:path*'] };
