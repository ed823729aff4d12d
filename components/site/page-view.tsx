import { JsonLd } from '@/components/site/json-ld';
import { absoluteUrl } from '@/lib/format';
import { HeroImage } from '@/components/site/hero-image';
import type { PublicPost } from '@/lib/posts/queries';
import type { SiteSettings } from '@/lib/site/settings';

/**
 * A page (About, Contact) as readers see it at /<slug>: title, subtitle, hero and body, with no
 * date, byline, tags, reading time or call to action (a page is not an article). The preview
 * route renders the very same component for a page.
 */
export function PageView({ page, site }: { page: PublicPost; site: SiteSettings }) {
  return (
    <article className="article page">
      <JsonLd
        data={{
          '@context': 'https://schema.org',
          '@type': 'WebPage',
          name: page.title,
          description: page.description || page.subtitle || undefined,
          url: absoluteUrl(site.url, `/${page.slug}`),
          isPartOf: { '@type': 'WebSite', name: site.title, url: site.url },
        }}
      />
      <header className="article-header">
        <h1>{page.title}</h1>
        {page.subtitle ? <p className="article-subtitle">{page.subtitle}</p> : null}
      </header>
      <HeroImage src={page.heroImage} alt={page.heroImageAlt} />
      {/* Sanitised when saved by lib/markdown; a page view never parses markdown. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: page.html }} />
    </article>
  );
}
