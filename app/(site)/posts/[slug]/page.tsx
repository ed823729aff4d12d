import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, permanentRedirect } from 'next/navigation';
import { cache } from 'react';
import { JsonLd } from '@/components/site/json-ld';
import { absoluteUrl, formatDate, readingTimeLabel } from '@/lib/format';
import { parseSlug } from '@/lib/params';
import { getPublicPost, getRedirectedSlug } from '@/lib/posts/queries';
import { getSiteSettings } from '@/lib/site/settings';

type Props = { params: Promise<{ slug: string }> };

// generateMetadata and the page share one query per request.
const loadPost = cache(async (raw: string) => {
  const slug = parseSlug(raw);
  return slug ? getPublicPost(slug) : null;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const post = await loadPost((await params).slug);
  if (!post) return { title: 'Page not found', robots: { index: false } };
  const description = post.description || post.subtitle;
  return {
    title: post.title,
    description,
    alternates: { canonical: `/posts/${post.slug}` },
    authors: [{ name: post.author.name, url: `/authors/${post.author.slug}` }],
    openGraph: {
      type: 'article',
      title: post.title,
      description,
      url: `/posts/${post.slug}`,
      publishedTime: post.publishAt.toISOString(),
      modifiedTime: post.updatedAt.toISOString(),
      authors: [`/authors/${post.author.slug}`],
      tags: post.tags.map((tag) => tag.name),
      images: post.heroImage ? [{ url: post.heroImage, alt: post.heroImageAlt || post.title }] : undefined,
    },
    twitter: {
      card: post.heroImage ? 'summary_large_image' : 'summary',
      title: post.title,
      description,
      images: post.heroImage ? [post.heroImage] : undefined,
    },
  };
}

/** The article, exactly as authored: every field of the import format is on the page. */
export default async function PostPage({ params }: Props) {
  const { slug } = await params;
  const post = await loadPost(slug);
  if (!post) {
    const parsed = parseSlug(slug);
    const moved = parsed ? await getRedirectedSlug(parsed) : null;
    if (moved) permanentRedirect(`/posts/${moved}`);
    notFound();
  }
  const site = await getSiteSettings();
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
      {post.heroImage ? (
        <figure className="article-hero">
          {/* eslint-disable-next-line @next/next/no-img-element -- any remote host; the page never waits for it */}
          <img
            src={post.heroImage}
            alt={post.heroImageAlt}
            width={1600}
            height={900}
            fetchPriority="high"
            decoding="async"
            referrerPolicy="no-referrer"
          />
        </figure>
      ) : null}
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
