import { formatDateTime } from '@/components/editor/time-zone';
import { roles } from '@/db/schema';
import type { UserListItem, UserStatus } from '@/lib/users/admin-queries';
import { ActionForm } from './action-form';
import { TwoFactorResetButton } from './two-factor-reset-button';
import type { FormAction } from './use-form-action';

const statusLabel: Record<UserStatus, string> = {
  active: 'Active',
  invited: 'Invited (pending)',
  disabled: 'Disabled',
  byline: 'Byline only (no sign-in): invite this name to hand it over',
};

/** twoFactor: who has two-factor sign-in on, and the page's reset action (admins only). */
type Props = {
  users: UserListItem[];
  viewerId: string;
  canManage: boolean;
  timeZone: string;
  twoFactor?: { userIds: string[]; reset: FormAction<string> };
  /** The page's server actions for an admin's row buttons. */
  actions: UserTableActions;
};

export type UserTableActions = {
  changeRole: FormAction<string>;
  setDisabled: FormAction<string>;
  endSessions: FormAction<string>;
  issueReset: FormAction<string>;
};

/** Everyone with an account; admins get a role picker and Disable/Enable per row, editors a read-only list. */
export function UserTable({ users, viewerId, canManage, timeZone, twoFactor, actions }: Props) {
  return (
    <div className="table-scroll">
      <table className="editor-table">
        <caption className="visually-hidden">Users</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Added</th>
            {canManage ? <th scope="col">Access</th> : null}
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <td className="cell-title">
                {user.name}
                {user.id === viewerId ? <span className="muted"> (you)</span> : null}
              </td>
              <td>{user.email ?? <span className="muted">—</span>}</td>
              <td>
                {canManage ? (
                  <ActionForm action={actions.changeRole} submitLabel="Change" buttonClassName="button-secondary" className="inline-form">
                    <input type="hidden" name="userId" value={user.id} />
                    <label htmlFor={`role-${user.id}`} className="visually-hidden">
                      Role of {user.name}
                    </label>
                    <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  </ActionForm>
                ) : (
                  <span className="role-badge">{user.role}</span>
                )}
              </td>
              <td>
                <span className={`status-badge user-${user.status}`}>{statusLabel[user.status]}</span>
              </td>
              <td>
                <time dateTime={user.createdAt.toISOString()}>{formatDateTime(user.createdAt, timeZone)}</time>
              </td>
              {canManage ? (
                <td>
                  <ActionForm
                    action={actions.setDisabled}
                    submitLabel={user.disabled ? 'Enable' : 'Disable'}
                    pendingLabel={user.disabled ? 'Enabling…' : 'Disabling…'}
                    buttonClassName={user.disabled ? 'button-secondary' : 'button-danger'}
                    confirm={user.disabled ? undefined : `Disable ${user.name}? They are signed out at once and cannot sign in until enabled.`}
                  >
                    <input type="hidden" name="userId" value={user.id} />
                    <input type="hidden" name="disabled" value={user.disabled ? 'false' : 'true'} />
                  </ActionForm>
                  {user.email && !user.disabled ? (
                    <>
                      <ActionForm
                        action={actions.endSessions}
                        submitLabel="Sign out everywhere"
                        pendingLabel="Signing out…"
                        buttonClassName="button-secondary"
                        confirm={`Sign ${user.name} out on every device?`}
                      >
                        <input type="hidden" name="userId" value={user.id} />
                      </ActionForm>
                      <ActionForm action={actions.issueReset} submitLabel="Reset link" pendingLabel="Making a link…" buttonClassName="button-secondary">
                        <input type="hidden" name="userId" value={user.id} />
                      </ActionForm>
                      {twoFactor?.userIds.includes(user.id) && user.id !== viewerId ? (
                        <TwoFactorResetButton userId={user.id} name={user.name} action={twoFactor.reset} />
                      ) : null}
                    </>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
