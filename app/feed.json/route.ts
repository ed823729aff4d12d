import { jsonFeed } from '@/lib/feeds/build';
import { feedResponse } from '@/lib/feeds/respond';

export const dynamic = 'force-dynamic';

/** JSON Feed 1.1 of the newest posts, full content. */
export async function GET() {
  return feedResponse(await jsonFeed(), 'application/feed+json');
}
