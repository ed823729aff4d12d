import { formatDateTime } from '@/components/editor/time-zone';
import type { RedirectListItem } from '@/lib/redirects/queries';
import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';

/** Redirects, newest first, each with its delete button. */
export function RedirectTable({ items, timeZone, deleteAction }: { items: RedirectListItem[]; timeZone: string; deleteAction: FormAction<string> }) {
  return (
    <div className="table-scroll">
      <table className="editor-table redirect-table">
        <caption className="visually-hidden">Redirects, newest first</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Status</th>
            <th scope="col">Made by</th>
            <th scope="col">Added</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.from}>
              <td className="mono">{item.from}</td>
              <td className="mono">{item.to}</td>
              <td>{item.status === 301 ? '301 permanent' : '302 temporary'}</td>
              <td>{item.source === 'manual' ? 'an admin' : item.source}</td>
              <td>
                <time dateTime={item.createdAt.toISOString()}>{formatDateTime(item.createdAt, timeZone)}</time>
              </td>
              <td>
                <div className="row-actions">
                  <ActionForm
                    action={deleteAction}
                    submitLabel="Delete"
                    pendingLabel="Deleting…"
                    buttonClassName="button-danger"
                    confirm={`Delete the redirect from ${item.from}?`}
                  >
                    <input type="hidden" name="from" value={item.from} />
                  </ActionForm>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
