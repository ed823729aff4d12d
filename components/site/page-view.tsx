import { JsonLd } from '@/components/site/json-ld';
import { absoluteUrl } from '@/lib/format';
import { responsiveImage } from '@/lib/media/urls';
import type { PublicPost } from '@/lib/posts/queries';
import type { SiteSettings } from '@/lib/site/settings';

const HERO_SIZES = '(max-width: 46.5rem) 100vw, 46.5rem';

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
      {page.heroImage ? (
        <figure className="article-hero">
          {/* eslint-disable-next-line @next/next/no-img-element -- any remote host; the page never waits for it */}
          <img
            {...responsiveImage(page.heroImage, HERO_SIZES, { width: 1600, height: 900 })}
            alt={page.heroImageAlt}
            fetchPriority="high"
            decoding="async"
            referrerPolicy="no-referrer"
          />
        </figure>
      ) : null}
      {/* Sanitised when saved by lib/markdown; a page view never parses markdown. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: page.html }} />
    </article>
  );
}
