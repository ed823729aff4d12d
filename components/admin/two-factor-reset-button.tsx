import { ActionForm } from './action-form';
import type { FormAction } from './use-form-action';

/** Admins, on /editor/users: remove someone's two-factor sign-in (they lost their phone and their recovery codes). */
export function TwoFactorResetButton({ userId, name, action }: { userId: string; name: string; action: FormAction<string> }) {
  return (
    <ActionForm
      action={action}
      submitLabel="Reset two-factor"
      pendingLabel="Resetting…"
      buttonClassName="button-secondary"
      confirm={`Remove two-factor sign-in for ${name}? They are signed out everywhere and sign in again with their password alone.`}
    >
      <input type="hidden" name="userId" value={userId} />
    </ActionForm>
  );
}
