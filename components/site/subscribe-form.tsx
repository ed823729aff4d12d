import { HONEYPOT_FIELD, MAX_EMAIL, MAX_MEMBER_NAME } from '@/lib/members/schemas';

/**
 * The sign-up form: a plain POST to /api/subscribe (reader pages carry no scripts), on the home
 * page, under every article and at /subscribe. The `website` field is a trap for bots, hidden from
 * people and from assistive technology.
 */
export function SubscribeForm({ id, error = null, heading = 'Get new posts by email' }: { id: string; error?: string | null; heading?: string }) {
  return (
    <form method="post" action="/api/subscribe" className="subscribe-form" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      {error ? (
        <p className="form-error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <div className="subscribe-fields">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          required
          maxLength={MAX_EMAIL}
          autoComplete="email"
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <label htmlFor={`${id}-name`}>Name (optional)</label>
        <input id={`${id}-name`} name="name" type="text" maxLength={MAX_MEMBER_NAME} autoComplete="name" />
      </div>
      <div className="subscribe-trap" aria-hidden="true">
        <label htmlFor={`${id}-${HONEYPOT_FIELD}`}>Leave this empty</label>
        <input id={`${id}-${HONEYPOT_FIELD}`} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
      </div>
      <button type="submit">Subscribe</button>
      <p className="subscribe-note">We send one mail to confirm your address. Every mail has a link to unsubscribe.</p>
    </form>
  );
}
