import type { Metadata } from 'next';
import { TagListing, tagMetadata } from './listing';

type Props = { params: Promise<{ slug: string }> };

// Rendered on first request, then served from the page cache until a change expires it (lib/cache).
export const revalidate = 3600;
export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return tagMetadata((await params).slug);
}

/** First page of the tag's list. Older pages (`?after=`) are rewritten to ./older (next.config.js). */
export default async function TagPage({ params }: Props) {
  return <TagListing raw={(await params).slug} after={null} />;
}
