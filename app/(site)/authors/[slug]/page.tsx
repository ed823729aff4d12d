import type { Metadata } from 'next';
import { AuthorListing, authorMetadata } from './listing';

type Props = { params: Promise<{ slug: string }> };

// Rendered on first request, then served from the page cache until a change expires it (lib/cache).
export const revalidate = 3600;
export async function generateStaticParams(): Promise<{ slug: string }[]> {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return authorMetadata((await params).slug);
}

/** First page of the author's list. Older pages (`?after=`) are rewritten to ./older (next.config.js). */
export default async function AuthorPage({ params }: Props) {
  return <AuthorListing raw={(await params).slug} after={null} />;
}
