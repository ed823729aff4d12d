import { AuthError, ForbiddenError } from '@/lib/auth/errors';
import { exportRedirectsCsv } from '@/lib/redirects/queries';

export const dynamic = 'force-dynamic';

/**
 * Admins: every redirect as a CSV download, the file the redirects page imports back. Like the
 * admin pages, a viewer without the right gets the plain 404 and a lost session the sign-in page.
 */
export async function GET(request: Request): Promise<Response> {
  let csv: string;
  try {
    csv = await exportRedirectsCsv();
  } catch (error) {
    if (error instanceof ForbiddenError) return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
    if (error instanceof AuthError) {
      const login = new URL(`/login?${new URLSearchParams({ callbackUrl: '/editor/redirects' })}`, request.url);
      return new Response(null, { status: 303, headers: { Location: login.pathname + login.search, 'Cache-Control': 'no-store' } });
    }
    throw error;
  }
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="redirects.csv"',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
