import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Job } from 'graphile-worker';
import { getDb } from '@/db/client';
import { webhookDeliveries, webhooks } from '@/db/schema';
import { env } from '@/lib/env';
import { deliverJobSchema } from './schemas';
import { postWebhook } from './send';
import { signatureHeader } from './signature';

export const USER_AGENT = 'Broadsheet-Webhooks';

/** What the worker tells a task about its job: this attempt's number (from 1) and the last one's. */
type JobAttempts = { job: Pick<Job, 'attempts' | 'max_attempts'> };

/**
 * The `webhook_deliver` job: one signed POST of a delivery to its endpoint, its outcome recorded
 * on the delivery whatever it is. A failure throws, so graphile-worker tries again later with its
 * backoff; the delivery stays pending until the job's last attempt fails, then is marked failed
 * (and the job ends, rather than lingering as a failed job). Only a pending delivery is sent: a
 * job that runs again after its delivery was delivered does nothing (a redelivery sets it pending
 * on purpose). A deleted endpoint's deliveries are gone with it; a disabled one's are not sent.
 */
export async function runWebhookDelivery(payload: unknown, helpers: JobAttempts): Promise<void> {
  const { deliveryId } = deliverJobSchema.parse(payload);
  const db = getDb();
  const [delivery] = await db
    .select({
      event: webhookDeliveries.event,
      payload: webhookDeliveries.payload,
      status: webhookDeliveries.status,
      url: webhooks.url,
      secret: webhooks.secret,
      disabledAt: webhooks.disabledAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!delivery || delivery.status !== 'pending') return;
  const stillPending = and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'pending'));
  if (delivery.disabledAt) {
    await db.update(webhookDeliveries).set({ status: 'failed', responseSnippet: 'Not sent: the endpoint is disabled.' }).where(stillPending);
    return;
  }

  const body = JSON.stringify(delivery.payload);
  const startedAt = new Date();
  const attempt = await postWebhook({
    url: delivery.url,
    body,
    allowPrivate: env().WEBHOOK_ALLOW_PRIVATE,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      'X-Broadsheet-Event': delivery.event,
      'X-Broadsheet-Delivery': deliveryId,
      'X-Broadsheet-Signature': signatureHeader(delivery.secret, body, startedAt.getTime() / 1000),
    },
  });
  const last = helpers.job.attempts >= helpers.job.max_attempts;
  await db
    .update(webhookDeliveries)
    .set({
      status: attempt.ok ? 'delivered' : last ? 'failed' : 'pending',
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      responseStatus: attempt.status,
      responseSnippet: attempt.snippet,
      lastAttemptAt: startedAt,
      durationMs: attempt.durationMs,
    })
    .where(stillPending);
  if (!attempt.ok && !last) {
    throw new Error(`Webhook delivery ${deliveryId} failed (${attempt.status ?? 'no answer'}); it will be tried again.`);
  }
}
