'use client';

import { ActionForm } from './action-form';
import { FormMessage } from './form-message';
import { useFormAction, type FormAction } from './use-form-action';

type Codes = { message: string; recoveryCodes: string[] };

/** The server actions of app/editor/account/actions.ts, passed in by the page. */
export type TwoFactorActions = {
  start: FormAction<string>;
  confirm: FormAction<Codes>;
  disable: FormAction<string>;
  regenerate: FormAction<Codes>;
};

type Props = {
  enabled: boolean;
  /** When it was turned on, already formatted in the site's time zone. */
  enabledSince: string | null;
  recoveryCodesLeft: number;
  pending: { secret: string; qrCode: string } | null;
  actions: TwoFactorActions;
};

/**
 * "Two-factor sign-in" on /editor/account: set up (QR code, the secret as text, a code to confirm),
 * the recovery codes once, turn off, new recovery codes. The actions' answers live here, above the
 * parts that come and go, so the codes stay on screen after the page re-renders as "on".
 */
export function TwoFactorPanel({ enabled, enabledSince, recoveryCodesLeft, pending, actions }: Props) {
  const confirm = useFormAction(actions.confirm);
  const regenerate = useFormAction(actions.regenerate);
  const shown = regenerate.state?.ok ? regenerate.state.data : confirm.state?.ok ? confirm.state.data : null;
  return (
    <>
      {shown ? (
        <div className="panel" role="region" aria-labelledby="recovery-heading">
          <h3 id="recovery-heading">Your recovery codes</h3>
          <p role="status">{shown.message}</p>
          <p className="hint">
            Each code signs you in once if you lose your phone. Keep them somewhere safe (a password manager, or printed): they are not shown again.
          </p>
          <ol className="recovery-codes" data-testid="recovery-codes">
            {shown.recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {enabled ? (
        <>
          <p>
            Two-factor sign-in is <strong>on</strong>
            {enabledSince ? ` (since ${enabledSince})` : ''}. {recoveryCodesLeft} recovery code{recoveryCodesLeft === 1 ? '' : 's'} left.
          </p>
          <form action={regenerate.formAction} onSubmit={regenerate.onSubmit} className="auth-form">
            <h3>New recovery codes</h3>
            <PasswordOrCode idPrefix="regenerate" />
            <button type="submit" className="button-secondary" disabled={regenerate.pending}>
              {regenerate.pending ? 'Making codes…' : 'Make new recovery codes'}
            </button>
            <FormMessage state={regenerate.state} success={null} />
          </form>
          <ActionForm
            action={actions.disable}
            submitLabel="Turn off two-factor sign-in"
            pendingLabel="Turning off…"
            buttonClassName="button-danger"
            confirm="Turn off two-factor sign-in? Your password alone will sign you in."
            className="auth-form"
          >
            <h3>Turn off</h3>
            <PasswordOrCode idPrefix="disable" />
          </ActionForm>
        </>
      ) : pending ? (
        <>
          <ol>
            <li>Scan this QR code with an authenticator app (or type the secret below into it).</li>
            <li>Enter the six-digit code the app shows.</li>
          </ol>
          {/* A data URL made on the server from the otpauth:// address: no remote request. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={pending.qrCode} alt="QR code for your authenticator app" width={200} height={200} className="two-factor-qr" />
          <p>
            Secret: <code data-testid="two-factor-secret">{pending.secret}</code>
          </p>
          <form action={confirm.formAction} onSubmit={confirm.onSubmit} className="auth-form">
            <label htmlFor="two-factor-confirm-code">Code from the app</label>
            <input id="two-factor-confirm-code" name="code" type="text" inputMode="numeric" autoComplete="one-time-code" required maxLength={12} />
            <button type="submit" disabled={confirm.pending}>
              {confirm.pending ? 'Checking…' : 'Turn on two-factor sign-in'}
            </button>
            <FormMessage state={confirm.state} success={null} />
          </form>
          <ActionForm action={actions.start} submitLabel="Start again with a new secret" pendingLabel="Starting…" buttonClassName="button-secondary" />
        </>
      ) : (
        <>
          <p>Two-factor sign-in is off: your password alone signs you in.</p>
          <ActionForm action={actions.start} submitLabel="Set up two-factor sign-in" pendingLabel="Starting…" />
        </>
      )}
    </>
  );
}

/** The current password, or a code from the app or a recovery code: either proves it is you. */
function PasswordOrCode({ idPrefix }: { idPrefix: string }) {
  return (
    <>
      <label htmlFor={`${idPrefix}-password`}>Current password</label>
      <input id={`${idPrefix}-password`} name="password" type="password" autoComplete="current-password" maxLength={200} />
      <label htmlFor={`${idPrefix}-code`}>or a code from your app (or a recovery code)</label>
      <input id={`${idPrefix}-code`} name="code" type="text" inputMode="numeric" autoComplete="one-time-code" maxLength={64} />
    </>
  );
}
