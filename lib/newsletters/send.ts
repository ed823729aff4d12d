import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { newsletterDeliveries, postAuthors, posts, users } from '@/db/schema';
import { env } from '@/lib/env';
import { bylineText } from '@/lib/format';
import { addJob } from '@/lib/jobs/queue';
import { fromAddress, isSendableAddress, siteHost } from '@/lib/mail/headers';
import { mailLimiter, type RateLimiter } from '@/lib/mail/rate';
import { isPermanentMailError, mailErrorMessage, sendMail, SMTP_SOCKET_TIMEOUT_MS } from '@/lib/mail/transport';
import { getSiteSettings } from '@/lib/site/settings';
import { newsletterMessage, type Envelope } from './message';
import { renderNewsletter, type RenderedNewsletter } from './render';

/**
 * The `newsletter_send` job: take this post's deliveries in small claimed chunks and send them,
 * each marked `sent` the moment the SMTP server has accepted it. Several jobs (NEWSLETTER_SENDERS,
 * start.ts) and any number of workers share one newsletter: a claim locks rows with SKIP LOCKED and
 * leases them for LEASE_SECONDS, so no two senders hold the same delivery, and a sender that dies
 * leaves rows another takes over when the lease has passed (the `newsletter_sweep` job, sweep.ts,
 * re-queues such newsletters). The one window left is in ARCHITECTURE.md ("Newsletters").
 */
export const CLAIM_SIZE = 20;
export const LEASE_SECONDS = 60;
/**
 * No send starts later than this after its claim: with the SMTP socket timeout (30 s) every send of a
 * chunk has ended before its lease (60 s) does, so a lease never runs out under a live sender.
 */
export const SEND_WINDOW_MS = LEASE_SECONDS * 1000 - SMTP_SOCKET_TIMEOUT_MS - 10_000;
export const MAX_ATTEMPTS = 5;
/** A temporary failure (4xx, connection trouble) is tried again after this many seconds times its attempts. */
export const RETRY_SECONDS = 60;

const payloadSchema = z.object({ postId: z.uuid() });

type Claimed = { memberId: string; attempts: number; email: string; name: string; memberStatus: string };

export type SendOptions = { rate?: number; claimSize?: number };

export async function runNewsletterSend(payload: unknown, options: SendOptions = {}): Promise<void> {
  const { postId } = payloadSchema.parse(payload);
  const [newsletter] = await getDb()
    .execute<{ status: string; subject: string }>(sql`select status, subject from newsletters where post_id = ${postId}`)
    .then((result) => result.rows);
  if (newsletter?.status !== 'sending') return;
  const rendered = await renderedFor(postId, newsletter.subject);
  if (!rendered) return;
  const limiter = mailLimiter(options.rate ?? env().MAIL_RATE);
  const claimSize = options.claimSize ?? chunkFor(limiter.rate);
  for (;;) {
    const claimed = await claim(postId, claimSize);
    if (claimed.length === 0) break;
    const deadline = Date.now() + SEND_WINDOW_MS;
    await Promise.all(claimed.map((delivery) => deliver(postId, delivery, rendered, limiter, deadline)));
  }
  await settle(postId);
}

/** Under MAIL_RATE, a chunk is what this sender can send well inside its send window. */
function chunkFor(rate: number): number {
  if (!(rate > 0)) return CLAIM_SIZE;
  return Math.max(1, Math.min(CLAIM_SIZE, Math.floor((rate * SEND_WINDOW_MS) / 1000 / 8)));
}

/**
 * Up to `size` deliveries nobody holds: pending ones (whose retry time, if any, has come) and those
 * whose sender's lease ran out. Each is leased to this sender and its attempt counted, in one
 * statement; the member's status is read in the same statement, so someone who unsubscribed or was
 * removed since the newsletter started is skipped.
 */
async function claim(postId: string, size: number): Promise<Claimed[]> {
  const { rows } = await getDb().execute<Claimed>(sql`
    with claimed as (
      update newsletter_deliveries d
         set status = 'sending', lease_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = d.attempts + 1
       where (d.post_id, d.member_id) in (
               select o.post_id, o.member_id from newsletter_deliveries o
                where o.post_id = ${postId}
                  and ((o.status = 'pending' and (o.lease_until is null or o.lease_until <= now()))
                    or (o.status = 'sending' and o.lease_until < now()))
                limit ${size}
                  for update skip locked)
      returning d.member_id, d.attempts)
    select c.member_id as "memberId", c.attempts, m.email, m.name, m.status as "memberStatus"
      from claimed c join members m on m.id = c.member_id`);
  const gone = rows.filter((row) => row.memberStatus !== 'subscribed').map((row) => row.memberId);
  if (gone.length > 0) {
    // No longer a subscriber: this post is not sent to them (the delivery goes, so it is never retried).
    await getDb()
      .delete(newsletterDeliveries)
      .where(and(eq(newsletterDeliveries.postId, postId), inArray(newsletterDeliveries.memberId, gone)));
  }
  return rows.filter((row) => row.memberStatus === 'subscribed');
}

async function deliver(postId: string, delivery: Claimed, rendered: Rendered, limiter: RateLimiter, deadline: number): Promise<void> {
  if (!isSendableAddress(delivery.email)) {
    await mark(postId, delivery.memberId, 'failed', 'Not a deliverable address.');
    return;
  }
  await limiter.take();
  if (Date.now() > deadline) {
    // Waited too long for its turn (MAIL_RATE): back to pending, unsent and uncounted, before the lease could run out.
    await getDb().execute(sql`
      update newsletter_deliveries set status = 'pending', lease_until = null, attempts = attempts - 1
       where post_id = ${postId} and member_id = ${delivery.memberId} and status = 'sending'`);
    return;
  }
  try {
    await sendMail(newsletterMessage(rendered.message, delivery, rendered.envelope));
  } catch (error) {
    const reason = mailErrorMessage(error);
    if (isPermanentMailError(error) || delivery.attempts >= MAX_ATTEMPTS) await mark(postId, delivery.memberId, 'failed', reason);
    else await retryLater(postId, delivery, reason);
    return;
  }
  await mark(postId, delivery.memberId, 'sent', null);
}

async function mark(postId: string, memberId: string, status: 'sent' | 'failed', error: string | null): Promise<void> {
  await getDb().execute(sql`
    update newsletter_deliveries
       set status = ${status}, sent_at = ${status === 'sent' ? sql`now()` : null}, lease_until = null, error = ${error}
     where post_id = ${postId} and member_id = ${memberId}`);
}

async function retryLater(postId: string, delivery: Claimed, reason: string): Promise<void> {
  await getDb().execute(sql`
    update newsletter_deliveries
       set status = 'pending', lease_until = now() + make_interval(secs => ${RETRY_SECONDS * delivery.attempts}), error = ${reason}
     where post_id = ${postId} and member_id = ${delivery.memberId}`);
}

/**
 * After a sender's last chunk: the newsletter is finished when no delivery is pending or being sent
 * (`failed` when nothing could be sent, else `sent`); otherwise a sender is queued for when the
 * earliest waiting delivery can be taken (a retry's time, or a lease that may run out).
 */
export async function settle(postId: string): Promise<'sent' | 'failed' | 'waiting' | null> {
  const { rows } = await getDb().execute<{ status: 'sent' | 'failed' }>(sql`
    update newsletters n
       set status = case when exists (select 1 from newsletter_deliveries d where d.post_id = n.post_id and d.status = 'failed')
                          and not exists (select 1 from newsletter_deliveries d where d.post_id = n.post_id and d.status = 'sent')
                         then 'failed'::newsletter_status else 'sent'::newsletter_status end,
           finished_at = now()
     where n.post_id = ${postId} and n.status = 'sending'
       and not exists (select 1 from newsletter_deliveries d where d.post_id = n.post_id and d.status in ('pending', 'sending'))
    returning n.status`);
  if (rows[0]) {
    rendering.delete(postId);
    return rows[0].status;
  }
  const [next] = (
    await getDb().execute<{ at: Date | null }>(sql`
      select min(coalesce(lease_until, now())) as at from newsletter_deliveries
       where post_id = ${postId} and status in ('pending', 'sending')`)
  ).rows;
  if (!next?.at) return null;
  const at = new Date(Math.max(Date.now(), new Date(next.at).getTime()) + 1000);
  await addJob(getDb(), 'newsletter_send', { postId }, { runAt: at, jobKey: `newsletter_send:${postId}:retry` });
  return 'waiting';
}

type Rendered = { message: RenderedNewsletter; envelope: Envelope };

/** Rendered once per newsletter in each process (its senders share it), until it finishes or ten minutes pass. */
const rendering = new Map<string, { at: number; value: Promise<Rendered | null> }>();
const RENDER_TTL_MS = 10 * 60_000;

function renderedFor(postId: string, subject: string): Promise<Rendered | null> {
  const now = Date.now();
  for (const [key, entry] of rendering) if (now - entry.at > RENDER_TTL_MS) rendering.delete(key);
  const cached = rendering.get(postId);
  if (cached) return cached.value;
  const value = render(postId, subject);
  rendering.set(postId, { at: now, value });
  value.catch(() => rendering.delete(postId));
  return value;
}

async function render(postId: string, subject: string): Promise<Rendered | null> {
  const [post] = await getDb()
    .select({
      title: posts.title,
      subtitle: posts.subtitle,
      slug: posts.slug,
      html: posts.html,
      excerpt: posts.excerpt,
      heroImage: posts.heroImage,
      heroImageAlt: posts.heroImageAlt,
      // Everyone in the byline, in order (post_authors; position 0 is the primary author).
      authorNames: sql<string[]>`coalesce((
        select array_agg(byline.name order by ${postAuthors.position}) from ${postAuthors} join ${users} byline on byline.id = ${postAuthors.userId}
         where ${postAuthors.postId} = ${posts.id}), array[${users.name}])`,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(eq(posts.id, postId));
  if (!post) return null;
  const site = await getSiteSettings();
  const host = siteHost(site.url);
  // The subject is the title the newsletter started with, whatever edits came since.
  const message = renderNewsletter({ ...post, authorName: bylineText(post.authorNames), title: subject }, site);
  return { message, envelope: { postId, host, from: fromAddress(env().MAIL_FROM, site.title, host) } };
}
