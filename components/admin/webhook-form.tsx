import { MAX_WEBHOOK_DESCRIPTION, MAX_WEBHOOK_URL, WEBHOOK_EVENTS, WEBHOOK_GROUPS } from '@/lib/webhooks/schemas';
import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';

const GROUP_LABELS: Record<(typeof WEBHOOK_GROUPS)[number], string> = {
  'post.*': 'Every post event (post.*)',
  'page.*': 'Every page event (page.*)',
};

/** The form that adds a webhook endpoint: its URL, the events it wants, a note for the admins. */
export function WebhookForm({ create }: { create: FormAction<string> }) {
  return (
    <section className="panel admin-section" aria-labelledby="webhook-add-heading">
      <h2 id="webhook-add-heading">Add an endpoint</h2>
      <ActionForm action={create} submitLabel="Add endpoint" pendingLabel="Checking…">
        <div className="field">
          <label htmlFor="webhook-url">URL</label>
          <input id="webhook-url" name="url" type="url" required maxLength={MAX_WEBHOOK_URL} placeholder="https://example.com/hooks/broadsheet" className="mono" />
        </div>
        <fieldset className="field">
          <legend>Events</legend>
          {WEBHOOK_GROUPS.map((group) => (
            <div key={group}>
              <label>
                <input type="checkbox" name="events" value={group} /> {GROUP_LABELS[group]}
              </label>
            </div>
          ))}
          {WEBHOOK_EVENTS.map((event) => (
            <div key={event}>
              <label>
                <input type="checkbox" name="events" value={event} /> <code>{event}</code>
              </label>
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="webhook-description">Description</label>
          <input id="webhook-description" name="description" type="text" maxLength={MAX_WEBHOOK_DESCRIPTION} placeholder="What receives it (optional)" />
        </div>
      </ActionForm>
    </section>
  );
}
