import { formatDateTime } from '@/components/editor/time-zone';
import type { DeviceItem } from '@/lib/auth/sessions';
import type { FormAction } from './use-form-action';
import { ActionForm } from './action-form';

type Props = { devices: DeviceItem[]; timeZone: string; endSession: FormAction<string> };

/** The viewer's signed-in devices, this one marked, each with its own "Sign out". */
export function DeviceList({ devices, timeZone, endSession }: Props) {
  return (
    <table className="editor-table device-table">
      <thead>
        <tr>
          <th scope="col">Device</th>
          <th scope="col">Address</th>
          <th scope="col">Signed in</th>
          <th scope="col">Last seen</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {devices.map((device) => (
          <tr key={device.id} data-session={device.current ? 'current' : 'other'}>
            <td>
              {device.browser} on {device.os}
              {device.current ? <strong className="role-badge"> this device</strong> : null}
            </td>
            <td>{device.ip || '—'}</td>
            <td>
              <time dateTime={device.createdAt.toISOString()}>{formatDateTime(device.createdAt, timeZone)}</time>
            </td>
            <td>
              <time dateTime={device.lastSeenAt.toISOString()}>{formatDateTime(device.lastSeenAt, timeZone)}</time>
            </td>
            <td>
              <ActionForm action={endSession} submitLabel="Sign out" pendingLabel="Signing out…" className="inline-form" buttonClassName="button-quiet">
                <input type="hidden" name="sessionId" value={device.id} />
              </ActionForm>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
