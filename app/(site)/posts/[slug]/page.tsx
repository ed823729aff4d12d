import type { Metadata } from 'next';
import { notFound, permanentRedirect } from 'next/navigation';
import { cache } from 'react';
import { Article } from '@/components/site/article';
import { parseSlug } from '@/lib/params';
import { getPublicPost, getRedirectedSlug } from '@/lib/posts/queries';
import { summaryOf } from '@/lib/posts/summary';
import { getSeriesList, listRelatedPosts } from '@/lib/posts/reading';
import { siteAlternates, siteOpenGraph } from '@/lib/site/metadata';
import { getSiteSettings } from '@/lib/site/settings';

type Props = { params: Promise<{ slug: string }> };

// Rendered on first request, then served from the page cache until a change expires it (lib/cache).
export const revalidate = 3600;
export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

// generateMetadata and the page share one query per request.
const loadPost = cache(async (raw: string) => {
  const slug = parseSlug(raw);
  return slug ? getPublicPost(slug) : null;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const post = await loadPost((await params).slug);
  if (!post) return { title: 'Page not found', robots: { index: false } };
  const site = await getSiteSettings();
  const description = summaryOf(post);
  return {
    title: post.title,
    description,
    alternates: siteAlternates(site, `/posts/${post.slug}`),
    authors: post.authors.map((author) => ({ name: author.name, url: `/authors/${author.slug}` })),
    openGraph: {
      ...siteOpenGraph(site),
      type: 'article',
      title: post.title,
      description,
      url: `/posts/${post.slug}`,
      publishedTime: post.publishAt.toISOString(),
      modifiedTime: post.updatedAt.toISOString(),
      authors: post.authors.map((author) => `/authors/${author.slug}`),
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
  const [site, series, related] = await Promise.all([getSiteSettings(), getSeriesList(post.id), listRelatedPosts(post.id)]);
  return <Article post={post} site={site} series={series} related={related} />;
}
