import { AuthError, ForbiddenError } from '@/lib/auth/errors';
import { exportMembersCsv } from '@/lib/members/queries';

export const dynamic = 'force-dynamic';

/**
 * Editors and admins: every member as a CSV download (email,name,consent_at,status), the file the
 * members page imports. Others get the plain 404, a lost session the sign-in page.
 */
export async function GET(request: Request): Promise<Response> {
  let csv: string;
  try {
    csv = await exportMembersCsv();
  } catch (error) {
    if (error instanceof ForbiddenError) return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
    if (error instanceof AuthError) {
      const login = new URL(`/login?${new URLSearchParams({ callbackUrl: '/editor/members' })}`, request.url);
      return new Response(null, { status: 303, headers: { Location: login.pathname + login.search, 'Cache-Control': 'no-store' } });
    }
    throw error;
  }
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="members.csv"',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
