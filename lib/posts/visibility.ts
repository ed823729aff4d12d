import { sql, type SQL } from 'drizzle-orm';
import { posts } from '@/db/schema';

/**
 * The one rule for what readers may see: a post is public when it is published or scheduled and
 * its publish time has come. Decided in the query, at the moment a reader asks, so a scheduled
 * post goes live to the second without anything having to fire. Every public query adds this.
 */
export function isPublic(): SQL {
  return sql`(${posts.status} in ('published', 'scheduled') and ${posts.publishAt} <= now())`;
}

/** The same rule for a row already in memory (used by the editor and tests, never to filter lists). */
export function isPublicAt(post: { status: string; publishAt: Date | null }, now = new Date()): boolean {
  return (post.status === 'published' || post.status === 'scheduled') && !!post.publishAt && post.publishAt <= now;
}
