import Link from 'next/link';
import { JsonLd } from '@/components/site/json-ld';
import { absoluteUrl, formatDate, readingTimeLabel } from '@/lib/format';
import { HeroImage } from '@/components/site/hero-image';
import { SubscribeForm } from '@/components/site/subscribe-form';
import type { PublicPost } from '@/lib/posts/queries';
import type { SiteSettings } from '@/lib/site/settings';

/** The article as readers see it; the preview route renders the very same component. */
export function Article({ post, site }: { post: PublicPost; site: SiteSettings }) {
  const url = absoluteUrl(site.url, `/posts/${post.slug}`);
  const cta = post.cta || site.defaultCta;
  return (
    <article className="article">
      <JsonLd
        data={{
          '@context': 'https://schema.org',
          '@type': 'BlogPosting',
          headline: post.title,
          alternativeHeadline: post.subtitle || undefined,
          description: post.description || post.subtitle,
          image: post.heroImage ? [post.heroImage] : undefined,
          datePublished: post.publishAt.toISOString(),
          dateModified: post.updatedAt.toISOString(),
          author: { '@type': 'Person', name: post.author.name, url: absoluteUrl(site.url, `/authors/${post.author.slug}`) },
          publisher: { '@type': 'Organization', name: site.title, url: site.url },
          mainEntityOfPage: url,
          keywords: post.tags.map((tag) => tag.name).join(', ') || undefined,
          timeRequired: `PT${post.readingMinutes}M`,
        }}
      />
      <header className="article-header">
        <h1>{post.title}</h1>
        {post.subtitle ? <p className="article-subtitle">{post.subtitle}</p> : null}
        <p className="byline">
          By{' '}
          <Link href={`/authors/${post.author.slug}`} rel="author">
            {post.author.name}
          </Link>
          <span aria-hidden="true"> · </span>
          <time dateTime={post.publishAt.toISOString()}>{formatDate(post.publishAt, site.timeZone)}</time>
          <span aria-hidden="true"> · </span>
          <span>{readingTimeLabel(post.readingMinutes)}</span>
        </p>
      </header>
      <HeroImage src={post.heroImage} alt={post.heroImageAlt} />
      {post.description ? <p className="article-description">{post.description}</p> : null}
      {post.toc.length > 2 ? (
        <nav className="toc" aria-label="Contents">
          <h2>Contents</h2>
          <ol>
            {post.toc.map((entry) => (
              <li key={entry.id} className={`toc-depth-${entry.depth}`}>
                <a href={`#${entry.id}`}>{entry.text}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      {/* Sanitised when saved by lib/markdown; a page view never parses markdown. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: post.html }} />
      {cta ? (
        <aside className="cta" aria-label="Call to action">
          <p>{cta}</p>
        </aside>
      ) : null}
      <SubscribeForm id="article-subscribe" />
      {post.tags.length > 0 ? (
        <footer className="article-tags">
          <h2 className="visually-hidden">Tags</h2>
          <ul>
            {post.tags.map((tag) => (
              <li key={tag.slug}>
                <Link href={`/tags/${tag.slug}`} rel="tag">
                  {tag.name}
                </Link>
              </li>
            ))}
          </ul>
        </footer>
      ) : null}
    </article>
  );
}
