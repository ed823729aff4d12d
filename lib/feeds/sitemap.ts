import 'server-only';
import { absoluteUrl } from '@/lib/format';
import { listSitemapEntries } from '@/lib/posts/queries';
import { getSiteSettings } from '@/lib/site/settings';

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** sitemap.xml: the home page and every public post, tag and author page. */
export async function sitemapXml(): Promise<string> {
  const [site, entries] = await Promise.all([getSiteSettings(), listSitemapEntries()]);
  const newest = entries.reduce<Date | null>((max, e) => (!max || e.lastModified > max ? e.lastModified : max), null);
  const urls = [{ path: '/', lastModified: newest }, ...entries].map(
    ({ path, lastModified }) =>
      `  <url><loc>${escapeXml(absoluteUrl(site.url, path))}</loc>${
        lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : ''
      }</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}
