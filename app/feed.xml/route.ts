import { rssFeed } from '@/lib/feeds/build';
import { feedResponse } from '@/lib/feeds/respond';

export const dynamic = 'force-dynamic';

/** RSS 2.0 feed of the newest posts, full content. */
export async function GET() {
  return feedResponse(await rssFeed(), 'application/rss+xml');
}
