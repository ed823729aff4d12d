import { MAX_PASSWORD, MIN_PASSWORD } from '@/lib/auth/password';

/** A new password, typed twice. */
export function PasswordFields({ idPrefix }: { idPrefix: string }) {
  return (
    <>
      <label htmlFor={`${idPrefix}-password`}>Password</label>
      <input
        id={`${idPrefix}-password`}
        name="password"
        type="password"
        required
        minLength={MIN_PASSWORD}
        maxLength={MAX_PASSWORD}
        autoComplete="new-password"
        aria-describedby={`${idPrefix}-password-hint`}
      />
      <p id={`${idPrefix}-password-hint`} className="hint">
        At least {MIN_PASSWORD} characters. A few unrelated words make a good one.
      </p>
      <label htmlFor={`${idPrefix}-confirm`}>Password again</label>
      <input id={`${idPrefix}-confirm`} name="confirm" type="password" required minLength={MIN_PASSWORD} maxLength={MAX_PASSWORD} autoComplete="new-password" />
    </>
  );
}
