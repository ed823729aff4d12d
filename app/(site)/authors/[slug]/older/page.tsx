import type { Metadata } from 'next';
import { afterParam } from '@/lib/params';
import { AuthorListing, authorMetadata } from '../listing';

// Per request: never served from the page cache.
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return authorMetadata((await params).slug);
}

/** `/authors/<slug>?after=<cursor>`: further back in the list, rendered per request. */
export default async function OlderAuthorPosts({ params, searchParams }: Props) {
  return <AuthorListing raw={(await params).slug} after={afterParam(await searchParams)} />;
}
