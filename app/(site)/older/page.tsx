import type { Metadata } from 'next';
import { afterParam } from '@/lib/params';
import { Home } from '../home';

// Per request: never served from the page cache.
export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Older posts' };

/**
 * `/?after=<cursor>`: the home list further back. Rendered per request (each cursor is its own
 * page and readers rarely go deep); the keyset query keeps it as cheap as the first page.
 */
export default async function OlderPosts({ searchParams }: Props) {
  return <Home after={afterParam(await searchParams)} />;
}
