import { formatDateTime } from '@/components/editor/time-zone';
import type { WebhookDeliveryItem } from '@/lib/webhooks/queries';
import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';

const STATUS_LABELS: Record<WebhookDeliveryItem['status'], string> = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };

/** One endpoint's delivery log, newest first: what was sent, how the receiver answered, and a button to send it again. */
export function WebhookDeliveries({
  deliveries,
  url,
  timeZone,
  redeliver,
}: {
  deliveries: WebhookDeliveryItem[];
  url: string;
  timeZone: string;
  redeliver: FormAction<string>;
}) {
  return (
    <div className="table-scroll">
      <table className="editor-table webhook-deliveries">
        <caption className="visually-hidden">Deliveries to {url}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Time</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Answer</th>
            <th scope="col">Duration</th>
            <th scope="col">Response or error</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => {
            const at = delivery.lastAttemptAt ?? delivery.createdAt;
            return (
              <tr key={delivery.id}>
                <td>
                  <code>{delivery.event}</code>
                </td>
                <td>
                  <time dateTime={at.toISOString()}>{formatDateTime(at, timeZone)}</time>
                </td>
                <td>{STATUS_LABELS[delivery.status]}</td>
                <td>{delivery.attempts}</td>
                <td>{delivery.responseStatus ?? '—'}</td>
                <td>{delivery.durationMs === null ? '—' : `${delivery.durationMs} ms`}</td>
                <td className="mono">{delivery.responseSnippet || '—'}</td>
                <td>
                  <div className="row-actions">
                    <ActionForm action={redeliver} submitLabel="Redeliver" pendingLabel="Queuing…">
                      <input type="hidden" name="deliveryId" value={delivery.id} />
                    </ActionForm>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
