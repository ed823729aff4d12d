import type { Metadata } from 'next';
import { afterParam } from '@/lib/params';
import { Home } from '../../home';

// Each cursor is a page of its own in the page cache (a list change expires them all, like the
// first page). Rendered on first request; the hour is only a safety net.
export const revalidate = 3600;
export async function generateStaticParams(): Promise<{ after: string }[]> {
  return [];
}

type Props = { params: Promise<{ after: string }> };

export const metadata: Metadata = { title: 'Older posts' };

/** `/?after=<cursor>` (rewritten here by next.config.js): the home list further back. */
export default async function OlderPosts({ params }: Props) {
  return <Home after={afterParam({ after: decodeURIComponent((await params).after) })} />;
}
