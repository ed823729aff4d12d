import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { webhookDeliveries, webhooks } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { env } from '@/lib/env';
import { removeJob } from '@/lib/jobs/queue';
import { parseInput } from '@/lib/users/schemas';
import { queueDelivery } from './events';
import { targetProblem } from './guard';
import { canManageWebhooks } from './policy';
import { deliveryIdSchema, MAX_WEBHOOKS, webhookIdSchema, webhookInputSchema, webhookToggleSchema, type WebhookInput, type WebhookToggleInput } from './schemas';

async function requireWebhookAdmin(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!canManageWebhooks(viewer.role)) throw new ForbiddenError();
  return viewer;
}

/** A new signing secret: 32 random bytes, prefixed so it is recognisable in a receiver's settings. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Admins: registers an endpoint, with a new secret (shown on the page). Its URL is checked here,
 * after DNS: every address its host resolves to must be public unless WEBHOOK_ALLOW_PRIVATE.
 */
export async function createWebhook(input: WebhookInput): Promise<{ id: string; url: string }> {
  const viewer = await requireWebhookAdmin();
  const hook = parseInput(webhookInputSchema, input);
  const problem = await targetProblem(new URL(hook.url), env().WEBHOOK_ALLOW_PRIVATE);
  if (problem) throw new ValidationError(`Refused: ${problem}`, 'url');
  return getDb().transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: count() }).from(webhooks);
    if (n >= MAX_WEBHOOKS) throw new ValidationError(`At most ${MAX_WEBHOOKS} endpoints: delete one first.`, 'url');
    const [row] = await tx
      .insert(webhooks)
      .values({ url: hook.url, events: hook.events, description: hook.description, secret: newSecret() })
      .returning({ id: webhooks.id });
    await recordAudit({ actorId: viewer.id, action: 'webhook.create', targetType: 'webhook', targetId: row.id, detail: { url: hook.url, events: hook.events } }, tx);
    return { id: row.id, url: hook.url };
  });
}

/** Admins: a new signing secret for an endpoint; the old one stops verifying at once. */
export async function rotateWebhookSecret(input: { id: string }): Promise<void> {
  const viewer = await requireWebhookAdmin();
  const { id } = parseInput(webhookIdSchema, input);
  await getDb().transaction(async (tx) => {
    const [row] = await tx.update(webhooks).set({ secret: newSecret() }).where(eq(webhooks.id, id)).returning({ url: webhooks.url });
    if (!row) throw new NotFoundError('That endpoint no longer exists.');
    await recordAudit({ actorId: viewer.id, action: 'webhook.rotate_secret', targetType: 'webhook', targetId: id, detail: { url: row.url } }, tx);
  });
}

/** Admins: stop (or resume) sending to an endpoint. A disabled endpoint gets no new deliveries; waiting ones are not sent. */
export async function setWebhookDisabled(input: WebhookToggleInput): Promise<{ changed: boolean }> {
  const viewer = await requireWebhookAdmin();
  const { id, disabled } = parseInput(webhookToggleSchema, input);
  return getDb().transaction(async (tx) => {
    const [current] = await tx.select({ url: webhooks.url, disabledAt: webhooks.disabledAt }).from(webhooks).where(eq(webhooks.id, id)).for('update');
    if (!current) throw new NotFoundError('That endpoint no longer exists.');
    if (!!current.disabledAt === disabled) return { changed: false };
    await tx
      .update(webhooks)
      .set({ disabledAt: disabled ? new Date() : null })
      .where(eq(webhooks.id, id));
    await recordAudit(
      { actorId: viewer.id, action: disabled ? 'webhook.disable' : 'webhook.enable', targetType: 'webhook', targetId: id, detail: { url: current.url } },
      tx,
    );
    return { changed: true };
  });
}

/** Admins: removes an endpoint, its delivery log and its waiting retries. */
export async function deleteWebhook(input: { id: string }): Promise<void> {
  const viewer = await requireWebhookAdmin();
  const { id } = parseInput(webhookIdSchema, input);
  await getDb().transaction(async (tx) => {
    const waiting = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, 'pending')));
    const [row] = await tx.delete(webhooks).where(eq(webhooks.id, id)).returning({ url: webhooks.url, events: webhooks.events });
    if (!row) throw new NotFoundError('That endpoint no longer exists.');
    for (const delivery of waiting) await removeJob(tx, `webhook_deliver:${delivery.id}`);
    await recordAudit({ actorId: viewer.id, action: 'webhook.delete', targetType: 'webhook', targetId: id, detail: { url: row.url, events: row.events } }, tx);
  });
}

/**
 * Admins: send a delivery again, now, whatever became of it: it is pending again and its job is
 * added with the delivery's key (replacing a waiting retry), its attempts counted from zero.
 */
export async function redeliverWebhook(input: { deliveryId: string }): Promise<{ event: string; url: string }> {
  const viewer = await requireWebhookAdmin();
  const { deliveryId } = parseInput(deliveryIdSchema, input);
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select({ webhookId: webhooks.id, event: webhookDeliveries.event, url: webhooks.url, disabledAt: webhooks.disabledAt })
      .from(webhookDeliveries)
      .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
      .where(eq(webhookDeliveries.id, deliveryId))
      .for('update');
    if (!row) throw new NotFoundError('That delivery no longer exists.');
    if (row.disabledAt) throw new ValidationError('The endpoint is disabled: enable it first.');
    await tx.update(webhookDeliveries).set({ status: 'pending' }).where(eq(webhookDeliveries.id, deliveryId));
    await queueDelivery(tx, deliveryId);
    await recordAudit(
      {
        actorId: viewer.id,
        action: 'webhook.redeliver',
        targetType: 'webhook',
        targetId: row.webhookId,
        detail: { delivery: deliveryId, event: row.event, url: row.url },
      },
      tx,
    );
    return { event: row.event, url: row.url };
  });
}
