import { z } from 'zod';

/** Every event an endpoint can ask for. `page.*` in a subscription means the four page events. */
export const WEBHOOK_EVENTS = [
  'post.published',
  'post.updated',
  'post.unpublished',
  'post.deleted',
  'page.published',
  'page.updated',
  'page.unpublished',
  'page.deleted',
  'member.subscribed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What a subscription may name: an event, or every event of posts or of pages. */
export const WEBHOOK_GROUPS = ['post.*', 'page.*'] as const;
export const WEBHOOK_SUBSCRIPTIONS = [...WEBHOOK_GROUPS, ...WEBHOOK_EVENTS] as const;

export const MAX_WEBHOOK_URL = 2000;
export const MAX_WEBHOOK_DESCRIPTION = 300;
export const MAX_WEBHOOKS = 50;

// Whitespace and control characters: the WHATWG parser silently drops some (tabs, newlines), so a
// URL that contains them is not the one it looks like.
const HIDDEN = /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/;

/**
 * The endpoint's URL in its normal form, or why it cannot be one: http(s) only, a host, no
 * credentials (the signature authenticates us; a password in the URL would sit in logs and the page).
 * Where the host points is checked separately, after DNS (./guard.ts). Pure.
 */
export function parseWebhookUrl(input: string): { url: URL } | { problem: string } {
  const text = input.trim();
  if (!text) return { problem: 'Enter the URL that receives the webhooks.' };
  if (text.length > MAX_WEBHOOK_URL) return { problem: `The URL is at most ${MAX_WEBHOOK_URL.toLocaleString('en')} characters.` };
  if (HIDDEN.test(text)) return { problem: 'The URL may not contain spaces or control characters.' };
  if (!/^https?:\/\//i.test(text)) return { problem: 'The URL must start with http:// or https://.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'That is not a valid URL.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'The URL must start with http:// or https://.' };
  if (url.username || url.password) return { problem: 'The URL may not contain a user name or password: each request is signed instead.' };
  if (!url.hostname) return { problem: 'The URL has no host.' };
  url.hash = '';
  return { url };
}

export const webhookUrlSchema = z
  .string('Enter the URL that receives the webhooks.')
  .max(MAX_WEBHOOK_URL * 2, `The URL is at most ${MAX_WEBHOOK_URL.toLocaleString('en')} characters.`)
  .transform((value, ctx) => {
    const parsed = parseWebhookUrl(value);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.url.href;
  });

/**
 * The events chosen, in a stable order, without duplicates; an event inside a chosen group is
 * implied by it and dropped.
 */
export const webhookEventsSchema = z
  .array(z.enum(WEBHOOK_SUBSCRIPTIONS, 'Unknown event.'), 'Choose at least one event.')
  .min(1, 'Choose at least one event.')
  .transform((chosen) => {
    const set = new Set<string>(chosen);
    const implied = (name: string) => !name.endsWith('.*') && set.has(`${name.split('.')[0]}.*`);
    return WEBHOOK_SUBSCRIPTIONS.filter((name) => set.has(name) && !implied(name));
  });

export const webhookInputSchema = z.object({
  url: webhookUrlSchema,
  events: webhookEventsSchema,
  description: z.string().trim().max(MAX_WEBHOOK_DESCRIPTION, `The description is at most ${MAX_WEBHOOK_DESCRIPTION} characters.`).default(''),
});
export type WebhookInput = z.input<typeof webhookInputSchema>;

const uuid = (message: string) => z.uuid(message);

export const webhookIdSchema = z.object({ id: uuid('Unknown endpoint.') });
export const webhookToggleSchema = z.object({
  id: uuid('Unknown endpoint.'),
  // A form sends the text, a caller the boolean.
  disabled: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')], 'Choose enable or disable.'),
});
export type WebhookToggleInput = z.input<typeof webhookToggleSchema>;
export const deliveryIdSchema = z.object({ deliveryId: uuid('Unknown delivery.') });

/** The `webhook_deliver` job's payload. */
export const deliverJobSchema = z.object({ deliveryId: z.uuid() });
