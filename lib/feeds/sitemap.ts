import 'server-only';
import { absoluteUrl } from '@/lib/format';
import { listSitemapEntries, type SitemapEntry } from '@/lib/posts/queries';
import { getSiteSettings } from '@/lib/site/settings';

/**
 * URLs per sitemap file. The protocol allows 50,000 (and 50 MB); a smaller file keeps each render
 * and each cached body small (Next.js stringifies a cached route's whole body once more when it
 * stores it: 89,000 URLs in one file ran a 144 MB heap out of memory).
 */
export const SITEMAP_PAGE_SIZE = 10_000;

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

const newestOf = (entries: SitemapEntry[]) => entries.reduce<Date | null>((max, e) => (!max || e.lastModified > max ? e.lastModified : max), null);

/** The home page and every public post, tag and author page, in a stable order. */
async function everyEntry(): Promise<{ base: string; entries: { path: string; lastModified: Date | null }[] }> {
  const [site, entries] = await Promise.all([getSiteSettings(), listSitemapEntries()]);
  return { base: site.url, entries: [{ path: '/', lastModified: newestOf(entries) }, ...entries] };
}

function urlset(base: string, entries: { path: string; lastModified: Date | null }[]): string {
  const urls = entries.map(
    ({ path, lastModified }) =>
      `  <url><loc>${escapeXml(absoluteUrl(base, path))}</loc>${lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : ''}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** Where page `n` (from 1) of a large site's sitemap lives. */
export const sitemapPagePath = (n: number) => `/sitemaps/${n}.xml`;

/**
 * /sitemap.xml: every public URL; on a site with more than `pageSize` of them, an index of
 * /sitemaps/<n>.xml files instead, each with its newest change.
 */
export async function sitemapXml({ pageSize = SITEMAP_PAGE_SIZE } = {}): Promise<string> {
  const { base, entries } = await everyEntry();
  if (entries.length <= pageSize) return urlset(base, entries);
  const files: string[] = [];
  for (let start = 0, n = 1; start < entries.length; start += pageSize, n += 1) {
    const newest = newestOf(entries.slice(start, start + pageSize).filter((e): e is SitemapEntry => e.lastModified !== null));
    files.push(`  <sitemap><loc>${escapeXml(absoluteUrl(base, sitemapPagePath(n)))}</loc>${newest ? `<lastmod>${newest.toISOString()}</lastmod>` : ''}</sitemap>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${files.join('\n')}\n</sitemapindex>\n`;
}

/** /sitemaps/<n>.xml: the n-th `pageSize` URLs of a large site; null when there is no such file. */
export async function sitemapPageXml(n: number, { pageSize = SITEMAP_PAGE_SIZE } = {}): Promise<string | null> {
  if (!Number.isSafeInteger(n) || n < 1) return null;
  const { base, entries } = await everyEntry();
  if (entries.length <= pageSize) return null;
  const page = entries.slice((n - 1) * pageSize, n * pageSize);
  return page.length > 0 ? urlset(base, page) : null;
}
