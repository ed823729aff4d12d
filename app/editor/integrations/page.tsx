import type { Metadata } from 'next';
import { ContentApiKeys } from '@/components/admin/content-api-keys';
import { adminOnly } from '@/components/admin/guard';
import { WebhookForm } from '@/components/admin/webhook-form';
import { WebhookList } from '@/components/admin/webhook-list';
import { listContentApiKeys } from '@/lib/content-api/keys';
import {
  createContentApiKeyAction,
  createWebhookAction,
  deleteWebhookAction,
  redeliverWebhookAction,
  revokeContentApiKeyAction,
  rotateWebhookSecretAction,
  setWebhookDisabledAction,
} from './actions';
import { getSiteSettings } from '@/lib/site/settings';
import { listWebhooks } from '@/lib/webhooks/queries';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Integrations' };

/** Admins: webhooks (add an endpoint, see what was sent and how it answered, send again) and Content API keys. */
export default async function IntegrationsPage() {
  const [hooks, keys, site] = await Promise.all([
    adminOnly(listWebhooks(), '/editor/integrations'),
    adminOnly(listContentApiKeys(), '/editor/integrations'),
    getSiteSettings(),
  ]);
  return (
    <>
      <h1 className="editor-title">Integrations</h1>
      <p className="hint">
        A webhook is a signed <code>POST</code> of JSON to another service when something happens here: a post published, a page changed, a reader subscribed. Each
        request carries <code>X-Broadsheet-Signature</code>, an HMAC of its body with the endpoint&apos;s secret (see the README); a receiver that does not answer
        2xx is tried again for about a day.
      </p>
      <WebhookForm create={createWebhookAction} />
      {hooks.length === 0 ? (
        <p className="empty">No endpoints yet.</p>
      ) : (
        <WebhookList
          hooks={hooks}
          timeZone={site.timeZone}
          actions={{
            setDisabled: setWebhookDisabledAction,
            rotateSecret: rotateWebhookSecretAction,
            remove: deleteWebhookAction,
            redeliver: redeliverWebhookAction,
          }}
        />
      )}
      <ContentApiKeys keys={keys} timeZone={site.timeZone} create={createContentApiKeyAction} revoke={revokeContentApiKeyAction} />
    </>
  );
}
