import { atomFeed } from '@/lib/feeds/build';
import { feedResponse } from '@/lib/feeds/respond';

export const dynamic = 'force-dynamic';

/** Atom feed of the newest posts, full content. */
export async function GET() {
  return feedResponse(await atomFeed(), 'application/atom+xml');
}
