import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { webhookDeliveries, webhookDeliveryStatuses, webhooks } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/errors';
import { requireViewer } from '@/lib/auth/viewer';
import { canManageWebhooks } from './policy';

/** How many deliveries each endpoint's log shows, newest first. */
export const DELIVERIES_SHOWN = 25;

export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export type WebhookDeliveryItem = {
  id: string;
  event: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  responseSnippet: string | null;
  lastAttemptAt: Date | null;
  durationMs: number | null;
  createdAt: Date;
};

export type WebhookItem = {
  id: string;
  url: string;
  events: string[];
  description: string;
  /** Shown to admins only (this list is theirs), to paste into the receiver. */
  secret: string;
  disabled: boolean;
  createdAt: Date;
  deliveries: WebhookDeliveryItem[];
};

/** Admins: every endpoint, newest first, each with its latest deliveries. */
export async function listWebhooks(): Promise<WebhookItem[]> {
  const viewer = await requireViewer();
  if (!canManageWebhooks(viewer.role)) throw new ForbiddenError();
  const db = getDb();
  const hooks = await db
    .select({
      id: webhooks.id,
      url: webhooks.url,
      events: webhooks.events,
      description: webhooks.description,
      secret: webhooks.secret,
      disabledAt: webhooks.disabledAt,
      createdAt: webhooks.createdAt,
    })
    .from(webhooks)
    .orderBy(desc(webhooks.createdAt), desc(webhooks.id));
  // One query per endpoint, on (webhook_id, created_at desc): there are at most MAX_WEBHOOKS.
  return Promise.all(
    hooks.map(async ({ disabledAt, ...hook }) => ({
      ...hook,
      disabled: disabledAt !== null,
      deliveries: await db
        .select({
          id: webhookDeliveries.id,
          event: webhookDeliveries.event,
          status: webhookDeliveries.status,
          attempts: webhookDeliveries.attempts,
          responseStatus: webhookDeliveries.responseStatus,
          responseSnippet: webhookDeliveries.responseSnippet,
          lastAttemptAt: webhookDeliveries.lastAttemptAt,
          durationMs: webhookDeliveries.durationMs,
          createdAt: webhookDeliveries.createdAt,
        })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, hook.id))
        .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
        .limit(DELIVERIES_SHOWN),
    })),
  );
}
