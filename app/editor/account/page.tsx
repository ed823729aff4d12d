import type { Metadata } from 'next';
import { ActionForm } from '@/components/admin/action-form';
import { DeviceList } from '@/components/admin/device-list';
import { adminOnly } from '@/components/admin/guard';
import { PasswordFields } from '@/components/admin/password-fields';
import { TwoFactorPanel } from '@/components/admin/two-factor-panel';
import { formatDateTime } from '@/components/editor/time-zone';
import { listMySessions } from '@/lib/auth/sessions';
import { getMyTwoFactor } from '@/lib/auth/two-factor';
import { requireViewerForTwoFactorSetup } from '@/lib/auth/viewer';
import { getSiteSettings } from '@/lib/site/settings';
import { MAX_PASSWORD } from '@/lib/auth/password';
import {
  changePasswordAction,
  confirmTwoFactorAction,
  disableTwoFactorAction,
  endSessionAction,
  endSessionsAction,
  regenerateRecoveryCodesAction,
  startTwoFactorAction,
} from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Your account' };

/**
 * Every signed-in person: two-factor sign-in, their devices (sign one out, or all) and their password.
 * Someone the site requires to set up two-factor sign-in sees only that (the layer refuses them the rest).
 */
export default async function AccountPage() {
  const [{ viewer }, twoFactor, site] = await Promise.all([
    adminOnly(requireViewerForTwoFactorSetup(), '/editor/account'),
    adminOnly(getMyTwoFactor(), '/editor/account'),
    getSiteSettings(),
  ]);
  const required = twoFactor.required;
  const devices = required ? [] : await adminOnly(listMySessions(), '/editor/account');
  return (
    <>
      <h1 className="editor-title">Your account</h1>
      {required ? (
        <p role="alert" className="notice">
          This site requires two-factor sign-in for admins and editors. Set it up below to go on using the editor.
        </p>
      ) : null}
      <section className="panel admin-section" aria-labelledby="two-factor-heading">
        <h2 id="two-factor-heading">Two-factor sign-in</h2>
        <TwoFactorPanel
          enabled={twoFactor.enabled}
          enabledSince={twoFactor.enabledAt ? formatDateTime(twoFactor.enabledAt, site.timeZone) : null}
          recoveryCodesLeft={twoFactor.recoveryCodesLeft}
          pending={twoFactor.pending ? { secret: twoFactor.pending.secret, qrCode: twoFactor.pending.qrCode } : null}
          actions={{ start: startTwoFactorAction, confirm: confirmTwoFactorAction, disable: disableTwoFactorAction, regenerate: regenerateRecoveryCodesAction }}
        />
      </section>
      {required ? null : <OtherSections viewerEmail={viewer.email} devices={devices} timeZone={site.timeZone} />}
    </>
  );
}

function OtherSections({ viewerEmail, devices, timeZone }: { viewerEmail: string; devices: Awaited<ReturnType<typeof listMySessions>>; timeZone: string }) {
  return (
    <>
      <section className="panel admin-section" aria-labelledby="devices-heading">
        <h2 id="devices-heading">Signed-in devices</h2>
        <DeviceList devices={devices} timeZone={timeZone} endSession={endSessionAction} />
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
          <input type="text" name="username" autoComplete="username" value={viewerEmail} readOnly hidden />
          <label htmlFor="account-current">Current password</label>
          <input id="account-current" name="current" type="password" required maxLength={MAX_PASSWORD} autoComplete="current-password" />
          <PasswordFields idPrefix="account" />
        </ActionForm>
      </section>
    </>
  );
}
