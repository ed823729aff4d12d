import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { addJob } from '@/lib/jobs/queue';
import { settle } from './send';

/**
 * The `newsletter_sweep` job, every minute (NEWSLETTER_CRONTAB, given to every worker) and once
 * when a worker starts: a worker killed mid-send leaves its graphile-worker job locked for four
 * hours, and its deliveries `sending` until their lease runs out. For every unfinished newsletter
 * with deliveries that can be taken now (pending, or a lease that has run out) this queues a sender
 * (one per newsletter: the key); one with nothing left to send is finished.
 */
export const NEWSLETTER_CRONTAB = '* * * * * newsletter_sweep ?max=1&jobKey=newsletter_sweep';

export async function runNewsletterSweep(): Promise<void> {
  const { rows } = await getDb().execute<{ postId: string; takeable: boolean; open: boolean }>(sql`
    select n.post_id as "postId",
           exists (select 1 from newsletter_deliveries d
                    where d.post_id = n.post_id
                      and ((d.status = 'pending' and (d.lease_until is null or d.lease_until <= now()))
                        or (d.status = 'sending' and d.lease_until < now()))) as takeable,
           exists (select 1 from newsletter_deliveries d where d.post_id = n.post_id and d.status in ('pending', 'sending')) as open
      from newsletters n
     where n.status = 'sending'`);
  for (const row of rows) {
    if (row.takeable) await addJob(getDb(), 'newsletter_send', { postId: row.postId }, { jobKey: `newsletter_send:${row.postId}:sweep` });
    else if (!row.open) await settle(row.postId);
  }
}

/** A sweep now (a worker starting: what a killed one left is taken over without waiting for the minute). */
export async function queueNewsletterSweep(): Promise<void> {
  await addJob(getDb(), 'newsletter_sweep', {}, { jobKey: 'newsletter_sweep' });
}
