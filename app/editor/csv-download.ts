import { AuthError, ForbiddenError } from '@/lib/auth/errors';

/**
 * An editor page's CSV export as a route handler's answer (redirects, members): the file as a
 * download; like the admin pages (components/admin/guard.ts), a viewer without the right gets the
 * plain 404 and a lost session the sign-in page, back to `page` afterwards.
 */
export async function csvDownload(produce: () => Promise<string>, options: { filename: string; page: string }): Promise<Response> {
  let csv: string;
  try {
    csv = await produce();
  } catch (error) {
    if (error instanceof ForbiddenError) return new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } });
    if (error instanceof AuthError) {
      return new Response(null, { status: 303, headers: { Location: `/login?${new URLSearchParams({ callbackUrl: options.page })}`, 'Cache-Control': 'no-store' } });
    }
    throw error;
  }
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${options.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
