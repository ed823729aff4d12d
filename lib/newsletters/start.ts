import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { newsletters, posts } from '@/db/schema';
import { addJob } from '@/lib/jobs/queue';
import type { Tx } from '@/lib/tags/mutations';

/**
 * Senders per newsletter: jobs that each take deliveries in small claimed chunks until none are
 * left (lib/newsletters/send.ts), so several workers share one newsletter.
 */
export const NEWSLETTER_SENDERS = 4;

/**
 * The newsletter of a post that has just become public (the `post_live` job, lib/posts/live.ts):
 * one row per post, ever, and one delivery per subscribed member, made in the job's transaction.
 * A second call for the same post (a job run twice, a post published again) changes nothing.
 */
export async function startNewsletter(tx: Tx, postId: string): Promise<void> {
  const [post] = await tx.select({ title: posts.title }).from(posts).where(eq(posts.id, postId));
  const [created] = await tx
    .insert(newsletters)
    .values({ postId, subject: post.title })
    .onConflictDoNothing({ target: newsletters.postId })
    .returning({ postId: newsletters.postId });
  if (!created) return;
  const inserted = await tx.execute(sql`
    insert into newsletter_deliveries (post_id, member_id)
    select ${postId}, id from members where status = 'subscribed'
    on conflict do nothing`);
  const recipients = inserted.rowCount ?? 0;
  await tx
    .update(newsletters)
    .set(recipients === 0 ? { recipients, status: 'sent', finishedAt: sql`now()` } : { recipients })
    .where(eq(newsletters.postId, postId));
  for (let n = 0; n < Math.min(NEWSLETTER_SENDERS, recipients); n += 1) {
    await addJob(tx, 'newsletter_send', { postId }, { jobKey: `newsletter_send:${postId}:${n}` });
  }
}
