'use server';

import { revalidatePath } from 'next/cache';
import { runAction, type ActionResult } from '@/lib/actions';
import { createContentApiKey, revokeContentApiKey } from '@/lib/content-api/keys';
import { contentApiKeyIdSchema, contentApiKeyInputSchema } from '@/lib/content-api/schemas';
import { createWebhook, deleteWebhook, redeliverWebhook, rotateWebhookSecret, setWebhookDisabled } from '@/lib/webhooks/mutations';
import { deliveryIdSchema, webhookIdSchema, webhookInputSchema, webhookToggleSchema } from '@/lib/webhooks/schemas';

// Webhooks change nothing readers see: only this page is refreshed.
const EDITOR_PATH = '/editor/integrations';

type Result = Promise<ActionResult<string>>;

async function refreshed(result: ActionResult<string>): Result {
  if (result.ok) revalidatePath(EDITOR_PATH);
  return result;
}

/** Admins: add an endpoint (its URL checked after DNS); its secret is shown on the page. */
export async function createWebhookAction(_previous: unknown, form: FormData): Result {
  const input = { url: form.get('url'), events: form.getAll('events'), description: form.get('description') ?? undefined };
  return refreshed(
    await runAction(webhookInputSchema, input, async (parsed) => `Added ${(await createWebhook(parsed)).url}: copy its secret below into the receiver.`),
  );
}

/** Admins: stop or resume sending to an endpoint. */
export async function setWebhookDisabledAction(_previous: unknown, form: FormData): Result {
  return refreshed(
    await runAction(webhookToggleSchema, Object.fromEntries(form), async (input) => {
      const { changed } = await setWebhookDisabled(input);
      return !changed ? 'No change.' : input.disabled ? 'Disabled.' : 'Enabled.';
    }),
  );
}

/** Admins: a new signing secret; the receiver must be given it. */
export async function rotateWebhookSecretAction(_previous: unknown, form: FormData): Result {
  return refreshed(
    await runAction(webhookIdSchema, Object.fromEntries(form), async (input) => {
      await rotateWebhookSecret(input);
      return 'New secret made: update the receiver.';
    }),
  );
}

/** Admins: delete an endpoint and its delivery log. */
export async function deleteWebhookAction(_previous: unknown, form: FormData): Result {
  return refreshed(
    await runAction(webhookIdSchema, Object.fromEntries(form), async (input) => {
      await deleteWebhook(input);
      return 'Deleted.';
    }),
  );
}

/** Admins: send a delivery again, now. */
export async function redeliverWebhookAction(_previous: unknown, form: FormData): Result {
  return refreshed(
    await runAction(deliveryIdSchema, Object.fromEntries(form), async (input) => {
      const { event } = await redeliverWebhook(input);
      return `Sending ${event} again.`;
    }),
  );
}

/** Admins: a new Content API key; its token is in this answer only (shown once, stored as a hash). */
export async function createContentApiKeyAction(_previous: unknown, form: FormData): Promise<ActionResult<{ name: string; token: string }>> {
  const rateLimit = form.get('rateLimit');
  const input = { name: form.get('name'), rateLimit: rateLimit === '' || rateLimit === null ? undefined : rateLimit };
  const result = await runAction(contentApiKeyInputSchema, input, async (parsed) => {
    const { name, token } = await createContentApiKey(parsed);
    return { name, token };
  });
  if (result.ok) revalidatePath(EDITOR_PATH);
  return result;
}

/** Admins: revoke a Content API key; requests with it are refused (401) from now on. */
export async function revokeContentApiKeyAction(_previous: unknown, form: FormData): Result {
  return refreshed(
    await runAction(contentApiKeyIdSchema, Object.fromEntries(form), async (input) => {
      const { name } = await revokeContentApiKey(input);
      return `Revoked ${name}.`;
    }),
  );
}
