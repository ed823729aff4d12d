import { feedResponse } from '@/lib/feeds/response';
import { sitemapXml } from '@/lib/feeds/sitemap';

// Served from the page cache; a change to what readers see expires it (lib/cache).
export const dynamic = 'force-static';
export const revalidate = 3600;

/** The sitemap: every public URL with its last change. */
export async function GET() {
  return feedResponse(await sitemapXml(), 'application/xml');
}
