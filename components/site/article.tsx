import Link from 'next/link';
import { JsonLd } from '@/components/site/json-ld';
import { absoluteUrl, formatDate, readingTimeLabel } from '@/lib/format';
import { HeroImage } from '@/components/site/hero-image';
import { SubscribeForm } from '@/components/site/subscribe-form';
import type { PostSummary, PublicPost } from '@/lib/posts/queries';
import type { SeriesList } from '@/lib/posts/reading';
import { summaryOf } from '@/lib/posts/summary';
import type { SiteSettings } from '@/lib/site/settings';
import { AuthorLinks } from './author-links';
import { RelatedPosts } from './related-posts';
import { SeriesNav } from './series-nav';

type Props = {
  post: PublicPost;
  site: SiteSettings;
  /** The post's series (null: none; a preview of a draft shows none). */
  series?: SeriesList | null;
  /** Posts sharing its tags (lib/posts/reading.ts). */
  related?: PostSummary[];
};

/** The article as readers see it; the preview route renders the very same component. */
export function Article({ post, site, series = null, related = [] }: Props) {
  const url = absoluteUrl(site.url, `/posts/${post.slug}`);
  const cta = post.cta || site.defaultCta;
  const persons = post.authors.map((author) => ({ '@type': 'Person', name: author.name, url: absoluteUrl(site.url, `/authors/${author.slug}`) }));
  return (
    <article className="article">
      <JsonLd
        data={{
          '@context': 'https://schema.org',
          '@type': 'BlogPosting',
          headline: post.title,
          alternativeHeadline: post.subtitle || undefined,
          description: summaryOf(post),
          image: post.heroImage ? [post.heroImage] : undefined,
          datePublished: post.publishAt.toISOString(),
          dateModified: post.updatedAt.toISOString(),
          // One Person, or every author in byline order (schema.org takes either).
          author: persons.length === 1 ? persons[0] : persons,
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
          By <AuthorLinks authors={post.authors} rel="author" />
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
      {series ? <SeriesNav series={series} position="intro" /> : null}
      {/* Sanitised when saved by lib/markdown; a page view never parses markdown. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: post.html }} />
      {series ? <SeriesNav series={series} position="list" /> : null}
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
      {related.length > 0 ? <RelatedPosts posts={related} timeZone={site.timeZone} /> : null}
    </article>
  );
}
