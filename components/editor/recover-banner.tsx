import type { LocalDraft } from './draft';
import { formatDateTime } from './time-zone';

type Props = { draft: LocalDraft; timeZone: string; onRestore: () => void; onDiscard: () => void };

/** Offers back a copy this browser kept that the server never confirmed; nothing happens without a click. */
export function RecoverBanner({ draft, timeZone, onRestore, onDiscard }: Props) {
  return (
    <section className="banner banner-warning" data-testid="recover-banner" aria-labelledby="recover-heading">
      <h2 id="recover-heading">Unsaved changes found</h2>
      <p>
        This browser kept changes to this post from <time dateTime={draft.savedAt}>{formatDateTime(draft.savedAt, timeZone)}</time> that were never saved to the
        server. Restoring puts them in the form as unsaved changes; if the post has changed since, you will be asked which version to keep.
      </p>
      <div className="button-row">
        <button type="button" className="button" onClick={onRestore}>
          Restore unsaved changes from this browser
        </button>
        <button type="button" className="button-secondary" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </section>
  );
}
