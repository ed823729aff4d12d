import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { newsletters, posts } from '@/db/schema';
import { NotFoundError } from '@/lib/auth/errors';
import { requireViewer } from '@/lib/auth/viewer';
import { canManageMembers } from '@/lib/members/policy';
import { permissions } from '@/lib/posts/editor-queries';

/** How many failures the editor lists (the rest are counted). */
export const FAILURES_SHOWN = 5;

export type NewsletterSummary = {
  /** queued: made, nothing tried yet; sending; sent; failed: nothing could be sent. */
  state: 'queued' | 'sending' | 'sent' | 'failed';
  subject: string;
  recipients: number;
  sent: number;
  failed: number;
  /** Pending or being sent. */
  pending: number;
  /** Unsubscribed or removed after the newsletter started: not sent to them. */
  skipped: number;
  startedAt: string;
  finishedAt: string | null;
  /** The first few failures: the reason, and the address for those who may see members. */
  failures: { email: string | null; error: string }[];
};

/**
 * A post's newsletter as the editor shows it, for anyone who may see the post (else NotFound, as
 * for the post itself); null when none has been made.
 */
export async function getNewsletterSummary(postId: string): Promise<NewsletterSummary | null> {
  const viewer = await requireViewer();
  const [post] = await getDb()
    .select({ kind: posts.kind, authorId: posts.authorId, status: posts.status, firstPublishedAt: posts.firstPublishedAt })
    .from(posts)
    .where(eq(posts.id, postId));
  if (!post || !permissions(viewer, post).view) throw new NotFoundError('This post does not exist, or you cannot see it.');
  const [newsletter] = await getDb().select().from(newsletters).where(eq(newsletters.postId, postId));
  if (!newsletter) return null;
  const { rows: counts } = await getDb().execute<{ status: string; n: number; tried: number }>(sql`
    select status::text, count(*)::int as n, count(*) filter (where attempts > 0)::int as tried
      from newsletter_deliveries where post_id = ${postId} group by status`);
  const count = (status: string) => counts.find((row) => row.status === status)?.n ?? 0;
  const tried = counts.reduce((sum, row) => sum + row.tried, 0);
  const { rows: failures } = await getDb().execute<{ email: string; error: string | null }>(sql`
    select m.email, d.error from newsletter_deliveries d join members m on m.id = d.member_id
     where d.post_id = ${postId} and d.status = 'failed'
     order by m.email limit ${FAILURES_SHOWN}`);
  const sent = count('sent');
  const failed = count('failed');
  const pending = count('pending') + count('sending');
  const showEmails = canManageMembers(viewer.role);
  return {
    state: newsletter.status === 'sending' ? (tried === 0 ? 'queued' : 'sending') : newsletter.status,
    subject: newsletter.subject,
    recipients: newsletter.recipients,
    sent,
    failed,
    pending,
    skipped: Math.max(0, newsletter.recipients - sent - failed - pending),
    startedAt: newsletter.createdAt.toISOString(),
    finishedAt: newsletter.finishedAt?.toISOString() ?? null,
    failures: failures.map((row) => ({ email: showEmails ? row.email : null, error: row.error ?? 'Not sent.' })),
  };
}
