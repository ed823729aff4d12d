import { formatDateTime } from '@/components/editor/time-zone';
import type { MemberListItem } from '@/lib/members/queries';
import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';

const SOURCES: Record<string, string> = { form: 'sign-up form', import: 'import', admin: 'added by hand' };

/** Members, newest first, each with its delete (erase) button. */
export function MemberTable({ items, timeZone, deleteAction }: { items: MemberListItem[]; timeZone: string; deleteAction: FormAction<string> }) {
  return (
    <div className="table-scroll">
      <table className="editor-table member-table">
        <caption className="visually-hidden">Members, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">From</th>
            <th scope="col">Agreed</th>
            <th scope="col">Added</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td className="mono">{item.email}</td>
              <td>{item.name}</td>
              <td>
                <span className={`member-status member-status-${item.status}`}>{item.status}</span>
              </td>
              <td>{SOURCES[item.source] ?? item.source}</td>
              <td>{item.consentAt ? <time dateTime={item.consentAt.toISOString()}>{formatDateTime(item.consentAt, timeZone)}</time> : '—'}</td>
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
                    confirm={`Erase ${item.email}? This deletes the member and their delivery history, and cannot be undone.`}
                  >
                    <input type="hidden" name="id" value={item.id} />
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
