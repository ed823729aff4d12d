import { formatDateTime } from '@/components/editor/time-zone';
import type { ContentApiKeyItem } from '@/lib/content-api/keys';
import { ActionForm } from './action-form';
import { ContentApiKeyForm } from './content-api-key-form';
import type { FormAction } from './use-form-action';

type Props = {
  keys: ContentApiKeyItem[];
  timeZone: string;
  /** The page's server actions (components import nothing from app/). */
  create: FormAction<{ name: string; token: string }>;
  revoke: FormAction<string>;
};

/** The Content API keys: make one (shown once), see when each was last used, revoke. */
export function ContentApiKeys({ keys, timeZone, create, revoke }: Props) {
  const when = (date: Date | null) => (date ? <time dateTime={date.toISOString()}>{formatDateTime(date, timeZone)}</time> : 'never');
  return (
    <section className="panel admin-section" aria-labelledby="content-api-heading">
      <h2 id="content-api-heading">Content API keys</h2>
      <p className="hint">
        Other sites and apps read published posts, pages, tags, authors and settings as JSON from <code>/api/content/v1/</code> (described at{' '}
        <a href="/api/content/v1/openapi.json">openapi.json</a>), with a key as <code>?key=</code> or <code>Authorization: Bearer</code>.
      </p>
      <ContentApiKeyForm create={create} />
      {keys.length === 0 ? (
        <p className="empty">No keys yet.</p>
      ) : (
        <ul className="content-api-keys">
          {keys.map((key) => (
            <li key={key.id} aria-label={`Key ${key.name}`}>
              <strong>{key.name}</strong> <code className="mono">{key.prefix}…</code> · {key.rateLimit} a minute · made {when(key.createdAt)}
              {key.createdBy ? ` by ${key.createdBy}` : null} · last used {when(key.lastUsedAt)}
              {key.revokedAt ? (
                <>
                  {' '}
                  · <strong className="user-disabled">Revoked</strong> {when(key.revokedAt)}
                </>
              ) : (
                <div className="row-actions">
                  <ActionForm
                    action={revoke}
                    submitLabel="Revoke"
                    pendingLabel="Revoking…"
                    buttonClassName="button-danger"
                    confirm={`Revoke the key ${key.name}? Whatever uses it stops working at once.`}
                  >
                    <input type="hidden" name="id" value={key.id} />
                  </ActionForm>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
