import { jsonFeed } from '@/lib/feeds/build';
import { feedResponse } from '@/lib/feeds/response';

// Served from the page cache; a change to what readers see expires it (lib/cache).
export const dynamic = 'force-static';
export const revalidate = 3600;

/** JSON Feed 1.1 of the newest posts, full content. */
export async function GET() {
  return feedResponse(await jsonFeed(), 'application/feed+json');
}
