/** Integration-test helpers: a real PostgreSQL (DATABASE_URL, set by `npm test`), clean before each test. */
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';

if (!process.env.DATABASE_URL) {
  throw new Error('Integration tests need DATABASE_URL: run them with `npm test` or `npm run test:integration`.');
}

export const db = getDb;

/** Empties every table, so each test starts from nothing. */
export async function resetDatabase(): Promise<void> {
  await getDb().execute(sql`
    truncate table import_keys, redirects, navigation_items, media_blobs, media, embeds, audit_log, login_throttle, password_tokens, post_revisions, slug_redirects,
                   post_tags, post_authors, posts, series, tags, site_settings, user_sessions, users, members, rate_limits, newsletters, newsletter_deliveries, webhooks, webhook_deliveries
                   restart identity cascade`);
  // The job queue's waiting jobs (graphile-worker's own tables).
  await getDb().execute(sql`delete from graphile_worker._private_jobs`);
}
