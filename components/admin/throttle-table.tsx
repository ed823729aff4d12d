import { formatDateTime } from '@/components/editor/time-zone';
import type { ThrottleListItem } from '@/lib/auth/throttle-admin';
import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';

const KIND = { pair: 'Account from address', ip: 'Address', account: 'Account' } as const;
const STATE = { locked: 'Locked until', slowing: 'Slowed (under attack)', counting: 'Counting' } as const;

/** Sign-in throttles, locked ones first, each with its clear button. */
export function ThrottleTable({ items, timeZone, clearAction }: { items: ThrottleListItem[]; timeZone: string; clearAction: FormAction<string> }) {
  return (
    <div className="table-scroll">
      <table className="editor-table throttle-table">
        <caption className="visually-hidden">Sign-in throttles, locked first</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Who</th>
            <th scope="col">Failures</th>
            <th scope="col">Last failure</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.key}>
              <td>{KIND[item.kind]}</td>
              <td className="mono">{item.subject}</td>
              <td>{item.failures}</td>
              <td>
                <time dateTime={item.lastFailureAt.toISOString()}>{formatDateTime(item.lastFailureAt, timeZone)}</time>
              </td>
              <td>
                {STATE[item.state]}
                {item.lockedUntil ? (
                  <>
                    {' '}
                    <time dateTime={item.lockedUntil.toISOString()}>{formatDateTime(item.lockedUntil, timeZone)}</time>
                  </>
                ) : null}
              </td>
              <td>
                <div className="row-actions">
                  <ActionForm action={clearAction} submitLabel="Clear" pendingLabel="Clearing…" confirm={`Clear the throttle on ${item.subject}?`}>
                    <input type="hidden" name="key" value={item.key} />
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
