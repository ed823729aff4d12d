import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { PostList } from '@/components/site/post-list';
import { parseSlug } from '@/lib/params';
import { listPublicPostsByAuthor } from '@/lib/posts/queries';
import { siteAlternates, siteOpenGraph } from '@/lib/site/metadata';
import { getSiteSettings } from '@/lib/site/settings';
import { getPublicAuthor } from '@/lib/users/queries';

const loadAuthor = cache(async (raw: string) => {
  const slug = parseSlug(raw);
  return slug ? getPublicAuthor(slug) : null;
});

/** The page's metadata, from the raw slug in the URL. */
export async function authorMetadata(raw: string): Promise<Metadata> {
  const author = await loadAuthor(raw);
  if (!author) return { title: 'Page not found', robots: { index: false } };
  const site = await getSiteSettings();
  return {
    title: author.name,
    description: author.bio || `Posts by ${author.name}`,
    alternates: siteAlternates(site, `/authors/${author.slug}`),
    openGraph: { ...siteOpenGraph(site), type: 'profile', title: author.name },
  };
}

/** An author: bio and public posts, newest first, from a keyset cursor (null: the first page). */
export async function AuthorListing({ raw, after }: { raw: string; after: string | null }) {
  const author = await loadAuthor(raw);
  if (!author) notFound();
  const site = await getSiteSettings();
  const page = await listPublicPostsByAuthor(author.slug, { cursor: after, limit: site.postsPerPage });
  return (
    <>
      <header className="list-header author-header">
        <p className="eyebrow">Author</p>
        <h1 className="page-title">{author.name}</h1>
        {author.bio ? <p className="author-bio">{author.bio}</p> : null}
      </header>
      <PostList page={page} basePath={`/authors/${author.slug}`} timeZone={site.timeZone} isFirstPage={!after} empty="No posts yet." />
    </>
  );
}
