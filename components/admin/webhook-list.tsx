import { formatDateTime } from '@/components/editor/time-zone';
import type { WebhookItem } from '@/lib/webhooks/queries';
import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';
import { WebhookDeliveries } from './webhook-deliveries';

/** The page's server actions behind each endpoint's buttons. */
export type WebhookActions = {
  setDisabled: FormAction<string>;
  rotateSecret: FormAction<string>;
  remove: FormAction<string>;
  redeliver: FormAction<string>;
};

/** Every endpoint: what it receives, its secret (revealed on demand), its buttons and its delivery log. */
export function WebhookList({ hooks, timeZone, actions }: { hooks: WebhookItem[]; timeZone: string; actions: WebhookActions }) {
  return hooks.map((hook) => (
    <section key={hook.id} className="panel admin-section webhook" aria-label={`Endpoint ${hook.url}`}>
      <h2 className="mono">{hook.url}</h2>
      {hook.description ? <p>{hook.description}</p> : null}
      <p className="hint">
        {hook.disabled ? <strong className="user-disabled">Disabled</strong> : <strong className="user-active">Enabled</strong>} · events:{' '}
        {hook.events.map((event, at) => (
          <span key={event}>
            {at > 0 ? ', ' : null}
            <code>{event}</code>
          </span>
        ))}{' '}
        · added <time dateTime={hook.createdAt.toISOString()}>{formatDateTime(hook.createdAt, timeZone)}</time>
      </p>
      <details>
        <summary>Signing secret</summary>
        <p>
          <code className="mono webhook-secret">{hook.secret}</code>
        </p>
      </details>
      <div className="row-actions">
        <ActionForm action={actions.setDisabled} submitLabel={hook.disabled ? 'Enable' : 'Disable'} pendingLabel="Saving…">
          <input type="hidden" name="id" value={hook.id} />
          <input type="hidden" name="disabled" value={hook.disabled ? 'false' : 'true'} />
        </ActionForm>
        <ActionForm
          action={actions.rotateSecret}
          submitLabel="New secret"
          confirm="Make a new secret? The receiver must be given it: the old one stops verifying at once."
        >
          <input type="hidden" name="id" value={hook.id} />
        </ActionForm>
        <ActionForm
          action={actions.remove}
          submitLabel="Delete"
          pendingLabel="Deleting…"
          buttonClassName="button-danger"
          confirm={`Delete the endpoint ${hook.url} and its delivery log?`}
        >
          <input type="hidden" name="id" value={hook.id} />
        </ActionForm>
      </div>
      <h3>Deliveries</h3>
      {hook.deliveries.length === 0 ? (
        <p className="empty">Nothing sent yet.</p>
      ) : (
        <WebhookDeliveries deliveries={hook.deliveries} url={hook.url} timeZone={timeZone} redeliver={actions.redeliver} />
      )}
    </section>
  ));
}
