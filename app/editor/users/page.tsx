import type { Metadata } from 'next';
import { adminOnly } from '@/components/admin/guard';
import { InviteForm } from '@/components/admin/invite-form';
import { UserTable } from '@/components/admin/user-table';
import { roles } from '@/db/schema';
import { listTwoFactorUserIds } from '@/lib/auth/two-factor-admin';
import { requireViewer } from '@/lib/auth/viewer';
import { getSiteSettings } from '@/lib/site/settings';
import { listUsers } from '@/lib/users/admin-queries';
import { canInviteRole, hasCapability } from '@/lib/users/policy';
import { changeRoleAction, endUserSessionsAction, inviteUserAction, issuePasswordResetAction, resetUserTwoFactorAction, setUserDisabledAction } from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Users' };

/** Who has an account: admins manage roles and access; editors invite contributors and authors. */
export default async function UsersPage() {
  const [viewer, users, site] = await Promise.all([adminOnly(requireViewer(), '/editor/users'), adminOnly(listUsers(), '/editor/users'), getSiteSettings()]);
  const canManage = hasCapability(viewer.role, 'manageUsers');
  const twoFactorIds = canManage ? await adminOnly(listTwoFactorUserIds(), '/editor/users') : [];
  return (
    <>
      <h1 className="editor-title">Users</h1>
      <section className="panel admin-section" aria-labelledby="invite-heading">
        <h2 id="invite-heading">Invite someone</h2>
        <InviteForm action={inviteUserAction} roles={roles.filter((role) => canInviteRole(viewer.role, role))} />
      </section>
      {canManage ? null : <p className="hint">Only admins can change roles or disable accounts.</p>}
      <UserTable
        users={users}
        viewerId={viewer.id}
        canManage={canManage}
        timeZone={site.timeZone}
        twoFactor={canManage ? { userIds: twoFactorIds, reset: resetUserTwoFactorAction } : undefined}
        actions={{ changeRole: changeRoleAction, setDisabled: setUserDisabledAction, endSessions: endUserSessionsAction, issueReset: issuePasswordResetAction }}
      />
    </>
  );
}
