import 'server-only';
import { and, arrayOverlaps, isNull } from 'drizzle-orm';
import { webhookDeliveries, webhooks } from '@/db/schema';
import { addJob } from '@/lib/jobs/queue';
import type { Tx } from '@/lib/tags/mutations';
import type { WebhookEvent } from './schemas';

export { WEBHOOK_EVENTS, type WebhookEvent } from './schemas';

/**
 * Attempts per delivery. graphile-worker waits exp(min(attempt, 10)) seconds after a failed
 * attempt: 12 retries add up to ~22 hours, so a receiver that is down for a day still gets it.
 */
export const WEBHOOK_MAX_ATTEMPTS = 13;

/**
 * One delivery per endpoint that wants `event`, and a job for each, in the caller's transaction.
 * `key` names the occurrence: the same key again (a job that ran twice) adds nothing. `data` may be
 * a function: it is then read only when some endpoint wants the event (most saves have none).
 */
export async function queueWebhookEvent(
  tx: Tx,
  event: WebhookEvent,
  key: string,
  data: Record<string, unknown> | (() => Promise<Record<string, unknown>>),
): Promise<void> {
  const wildcard = `${event.split('.')[0]}.*`;
  const targets = await tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(isNull(webhooks.disabledAt), arrayOverlaps(webhooks.events, [event, wildcard])));
  if (targets.length === 0) return;
  const payload = { event, occurredAt: new Date().toISOString(), data: typeof data === 'function' ? await data() : data };
  const rows = await tx
    .insert(webhookDeliveries)
    .values(targets.map((target) => ({ webhookId: target.id, event, eventKey: key, payload })))
    .onConflictDoNothing({ target: [webhookDeliveries.webhookId, webhookDeliveries.eventKey] })
    .returning({ id: webhookDeliveries.id });
  for (const row of rows) await queueDelivery(tx, row.id);
}

/**
 * The job that sends one delivery, now. Its key is the delivery's: adding it again (a redelivery)
 * replaces a waiting retry, with its attempts counted from zero, rather than adding a second job.
 */
export async function queueDelivery(tx: Tx, deliveryId: string): Promise<void> {
  await addJob(tx, 'webhook_deliver', { deliveryId }, { maxAttempts: WEBHOOK_MAX_ATTEMPTS, jobKey: `webhook_deliver:${deliveryId}` });
}
