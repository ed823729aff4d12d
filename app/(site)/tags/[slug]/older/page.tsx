import type { Metadata } from 'next';
import { afterParam } from '@/lib/params';
import { TagListing, tagMetadata } from '../listing';

// Per request: never served from the page cache.
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return tagMetadata((await params).slug);
}

/** `/tags/<slug>?after=<cursor>`: further back in the list, rendered per request. */
export default async function OlderTagPosts({ params, searchParams }: Props) {
  return <TagListing raw={(await params).slug} after={afterParam(await searchParams)} />;
}
