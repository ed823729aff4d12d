import type { Metadata } from 'next';
import { ActionForm } from '@/components/admin/action-form';
import { DeviceList } from '@/components/admin/device-list';
import { adminOnly } from '@/components/admin/guard';
import { PasswordFields } from '@/components/admin/password-fields';
import { listMySessions } from '@/lib/auth/sessions';
import { requireViewer } from '@/lib/auth/viewer';
import { getSiteSettings } from '@/lib/site/settings';
import { MAX_PASSWORD } from '@/lib/auth/password';
import { changePasswordAction, endSessionAction, endSessionsAction } from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Your account' };

/** Every signed-in person: their devices (sign one out, or all) and their password. */
export default async function AccountPage() {
  const [viewer, devices, site] = await Promise.all([
    adminOnly(requireViewer(), '/editor/account'),
    adminOnly(listMySessions(), '/editor/account'),
    getSiteSettings(),
  ]);
  return (
    <>
      <h1 className="editor-title">Your account</h1>
      <section className="panel admin-section" aria-labelledby="devices-heading">
        <h2 id="devices-heading">Signed-in devices</h2>
        <DeviceList devices={devices} timeZone={site.timeZone} endSession={endSessionAction} />
        <ActionForm action={endSessionsAction} submitLabel="Sign out everywhere else" pendingLabel="Signing out…" className="inline-form">
          <input type="hidden" name="which" value="others" />
        </ActionForm>
        <ActionForm
          action={endSessionsAction}
          submitLabel="Sign out everywhere"
          pendingLabel="Signing out…"
          confirm="Sign out on every device, this one included?"
          className="inline-form"
        >
          <input type="hidden" name="which" value="all" />
        </ActionForm>
      </section>
      <section className="panel admin-section" aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        <p className="hint">Your other devices are signed out; this one stays signed in.</p>
        <ActionForm action={changePasswordAction} submitLabel="Change password" className="auth-form">
          <input type="text" name="username" autoComplete="username" value={viewer.email} readOnly hidden />
          <label htmlFor="account-current">Current password</label>
          <input id="account-current" name="current" type="password" required maxLength={MAX_PASSWORD} autoComplete="current-password" />
          <PasswordFields idPrefix="account" />
        </ActionForm>
      </section>
    </>
  );
}
