import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts } from '@/db/schema';
import { isLookupKey } from '@/lib/params';

/**
 * Whether a preview link leads to a post (any status but trash), in one indexed lookup. Used only by
 * proxy.ts, so that a link that leads nowhere is served as a real, server-rendered 404 page (Next.js
 * 16 renders notFound() from a dynamic page as an empty document until JavaScript runs); the preview
 * page still decides what it shows.
 */
export async function previewExists(token: string): Promise<boolean> {
  if (!isLookupKey(token)) return false;
  const result = await getDb().execute<{ found: boolean }>(
    sql`select exists (select 1 from ${posts} where ${posts.previewToken} = ${token} and ${posts.status} <> 'trash') as found`,
  );
  return result.rows[0]?.found === true;
}
