import type { Metadata } from 'next';
import { afterParam } from '@/lib/params';
import { AuthorListing, authorMetadata } from '../../listing';

// Each cursor is a page of its own in the page cache (a list change expires them all, like the
// first page). Rendered on first request; the hour is only a safety net.
export const revalidate = 3600;
export async function generateStaticParams(): Promise<{ slug: string; after: string }[]> {
  return [];
}

type Props = { params: Promise<{ slug: string; after: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return authorMetadata((await params).slug);
}

/** `/authors/<slug>?after=<cursor>` (rewritten here by next.config.js): further back in the list. */
export default async function OlderAuthorPosts({ params }: Props) {
  const { slug, after } = await params;
  return <AuthorListing raw={slug} after={afterParam({ after: decodeURIComponent(after) })} />;
}
