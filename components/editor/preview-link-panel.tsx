'use client';

import { useState } from 'react';
import { absoluteUrl } from '@/lib/format';
import { ActionError, failureFromThrow, type Failure } from './action-error';
import { usePostActions } from './post-actions';

type Props = { postId: string; initialToken: string | null; siteUrl: string; callbackUrl: string };

/** A secret link that shows the post as readers would see it, until revoked (a new one replaces the old). */
export function PreviewLinkPanel({ postId, initialToken, siteUrl, callbackUrl }: Props) {
  const { createPreviewLink: createPreviewLinkAction, revokePreviewLink: revokePreviewLinkAction } = usePostActions();
  const [token, setToken] = useState(initialToken);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [copied, setCopied] = useState(false);
  const url = token ? absoluteUrl(siteUrl, `/preview/${token}`) : null;

  async function run<T>(work: () => Promise<{ ok: true; data: T } | Failure>, onDone: (data: T) => void) {
    setPending(true);
    setFailure(null);
    setCopied(false);
    try {
      const result = await work();
      if (result.ok) onDone(result.data);
      else setFailure(result);
    } catch {
      setFailure(await failureFromThrow());
    } finally {
      setPending(false);
    }
  }

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard permission: select the text so Ctrl/Cmd+C works.
      const input = document.getElementById('preview-url');
      if (input instanceof HTMLInputElement) input.select();
    }
  }

  return (
    <section className="panel" aria-labelledby="preview-link-heading">
      <h2 id="preview-link-heading">Preview link</h2>
      {url ? (
        <>
          <label htmlFor="preview-url" className="visually-hidden">
            Preview link
          </label>
          <div className="copy-row">
            <input id="preview-url" type="text" readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
            <button type="button" className="button-secondary" onClick={() => void copy()}>
              Copy
            </button>
          </div>
          <p className="hint" role="status">
            {copied ? 'Copied.' : 'Anyone with this link can read the last saved version until you revoke it.'}
          </p>
          <button
            type="button"
            className="button-secondary"
            disabled={pending}
            onClick={() =>
              void run(
                () => revokePreviewLinkAction({ id: postId }),
                () => setToken(null),
              )
            }
          >
            Revoke link
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button-secondary"
          disabled={pending}
          onClick={() =>
            void run(
              () => createPreviewLinkAction({ id: postId }),
              (next) => setToken(next),
            )
          }
        >
          Create preview link
        </button>
      )}
      <ActionError failure={failure} callbackUrl={callbackUrl} />
    </section>
  );
}
