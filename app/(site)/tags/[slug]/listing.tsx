import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { PostList } from '@/components/site/post-list';
import { parseSlug } from '@/lib/params';
import { listPublicPostsByTag } from '@/lib/posts/queries';
import { siteAlternates } from '@/lib/site/metadata';
import { getSiteSettings } from '@/lib/site/settings';
import { getPublicTag } from '@/lib/tags/queries';

const loadTag = cache(async (raw: string) => {
  const slug = parseSlug(raw);
  return slug ? getPublicTag(slug) : null;
});

/** The page's metadata, from the raw slug in the URL. */
export async function tagMetadata(raw: string): Promise<Metadata> {
  const tag = await loadTag(raw);
  if (!tag) return { title: 'Page not found', robots: { index: false } };
  const site = await getSiteSettings();
  return {
    title: tag.name,
    description: tag.description || `Posts tagged ${tag.name}`,
    alternates: siteAlternates(site, `/tags/${tag.slug}`),
  };
}

/** A tag: its public posts, newest first, from a keyset cursor (null: the first page). */
export async function TagListing({ raw, after }: { raw: string; after: string | null }) {
  const tag = await loadTag(raw);
  if (!tag) notFound();
  const site = await getSiteSettings();
  const page = await listPublicPostsByTag(tag.slug, { cursor: after, limit: site.postsPerPage });
  return (
    <>
      <header className="list-header">
        <p className="eyebrow">Tag</p>
        <h1 className="page-title">{tag.name}</h1>
        {tag.description ? <p>{tag.description}</p> : null}
      </header>
      <PostList page={page} basePath={`/tags/${tag.slug}`} timeZone={site.timeZone} isFirstPage={!after} empty="No posts here yet." />
    </>
  );
}
