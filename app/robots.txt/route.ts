import { env } from '@/lib/env';

// SITE_URL is read at request time (a build may be served under another address).
export const dynamic = 'force-dynamic';

/** robots.txt: everything public may be crawled; the editor, previews and the API may not. */
export async function GET() {
  const body = ['User-agent: *', 'Allow: /', 'Disallow: /editor', 'Disallow: /preview', 'Disallow: /api', '', `Sitemap: ${env().SITE_URL}/sitemap.xml`, ''].join(
    '\n',
  );
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } });
}
