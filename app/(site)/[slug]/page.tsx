import type { Metadata } from 'next';
import { notFound, permanentRedirect, redirect } from 'next/navigation';
import { cache } from 'react';
import { PageView } from '@/components/site/page-view';
import { parseSlug } from '@/lib/params';
import { getPublicPage, getRedirectedSlug } from '@/lib/posts/queries';
import { findRedirect } from '@/lib/redirects/queries';
import { siteAlternates, siteOpenGraph } from '@/lib/site/metadata';
import { getSiteSettings } from '@/lib/site/settings';

type Props = { params: Promise<{ slug: string }> };

// Rendered on first request, then served from the page cache until a change to this slug (or
// everything) expires it, like an article (lib/cache/page-cache.ts ties the entry to the slug).
// Static routes (/search, /login, /feed.xml…) win over this segment; page slugs cannot take them.
export const revalidate = 3600;
export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

// generateMetadata and the page share one query per request.
const loadPage = cache(async (raw: string) => {
  const slug = parseSlug(raw);
  return slug ? getPublicPage(slug) : null;
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await loadPage((await params).slug);
  if (!page) return { title: 'Page not found', robots: { index: false } };
  const site = await getSiteSettings();
  const description = page.description || page.subtitle;
  return {
    title: page.title,
    description,
    alternates: siteAlternates(site, `/${page.slug}`),
    openGraph: {
      ...siteOpenGraph(site),
      type: 'website',
      title: page.title,
      description,
      url: `/${page.slug}`,
      images: page.heroImage ? [{ url: page.heroImage, alt: page.heroImageAlt || page.title }] : undefined,
    },
    twitter: { card: page.heroImage ? 'summary_large_image' : 'summary', title: page.title, description },
  };
}

/**
 * A page (About, Contact) at /<slug>. Otherwise: a renamed page's old slug moves permanently to its
 * new one, then any redirect an admin or an import left for this address, else the 404.
 */
export default async function PublicPage({ params }: Props) {
  const { slug } = await params;
  const page = await loadPage(slug);
  if (!page) {
    const parsed = parseSlug(slug);
    const moved = parsed ? await getRedirectedSlug(parsed, 'page') : null;
    if (moved) permanentRedirect(`/${moved}`);
    const target = parsed ? await findRedirect(`/${parsed}`) : null;
    if (target?.status === 301) permanentRedirect(target.to);
    if (target) redirect(target.to);
    notFound();
  }
  const site = await getSiteSettings();
  return <PageView page={page} site={site} />;
}
