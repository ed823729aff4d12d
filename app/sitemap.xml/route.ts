import { feedResponse } from '@/lib/feeds/respond';
import { sitemapXml } from '@/lib/feeds/sitemap';

export const dynamic = 'force-dynamic';

/** The sitemap: every public URL with its last change. */
export async function GET() {
  return feedResponse(await sitemapXml(), 'application/xml');
}
