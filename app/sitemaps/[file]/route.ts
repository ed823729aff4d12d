import { feedResponse } from '@/lib/feeds/response';
import { sitemapPageXml } from '@/lib/feeds/sitemap';

// One file of a large site's sitemap (/sitemap.xml is then their index): served from the page
// cache like the sitemap, expired with it (lib/cache).
export const dynamic = 'force-static';
export const revalidate = 3600;
export async function generateStaticParams(): Promise<{ file: string }[]> {
  return [];
}

const FILE = /^([1-9][0-9]{0,5})\.xml$/;

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }) {
  const match = FILE.exec((await params).file);
  const xml = match ? await sitemapPageXml(Number(match[1])) : null;
  if (!xml) return new Response('Not found\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
  return feedResponse(xml, 'application/xml');
}
