'use client';

import { useEffect, useRef, useState } from 'react';
import { ActionError, failureFromThrow, type Failure } from './action-error';
import { usePostActions } from './post-actions';

export const PREVIEW_DELAY_MS = 400;

type Rendered = { html: string; wordCount: number; readingMinutes: number };

/** The body through the site's own pipeline, 400 ms after typing stops; late answers are dropped. */
export function LivePreview({ markdown, readTimeOverride, callbackUrl }: { markdown: string; readTimeOverride: number | null; callbackUrl: string }) {
  const [rendered, setRendered] = useState<Rendered | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const latest = useRef(0);
  const { renderPreview: renderPreviewAction } = usePostActions();

  useEffect(() => {
    const request = ++latest.current;
    const timer = window.setTimeout(async () => {
      let result: Awaited<ReturnType<typeof renderPreviewAction>>;
      try {
        result = await renderPreviewAction({ markdown });
      } catch {
        const failure = await failureFromThrow();
        if (request === latest.current) setFailure(failure);
        return;
      }
      if (request !== latest.current) return;
      if (result.ok) {
        setRendered(result.data);
        setFailure(null);
      } else {
        setFailure(result);
      }
    }, PREVIEW_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [markdown, renderPreviewAction]);

  const minutes = readTimeOverride ?? rendered?.readingMinutes;
  return (
    <section className="live-preview" aria-labelledby="live-preview-heading">
      <div className="live-preview-head">
        <h2 id="live-preview-heading">Preview</h2>
        <p className="preview-stats">
          <span data-testid="word-count">{rendered ? `${rendered.wordCount.toLocaleString('en')} ${rendered.wordCount === 1 ? 'word' : 'words'}` : '…'}</span>
          <span aria-hidden="true"> · </span>
          <span>
            {minutes === undefined ? '…' : `${minutes} min read`}
            {readTimeOverride !== null ? ' (set by hand)' : ''}
          </span>
        </p>
      </div>
      <ActionError failure={failure} callbackUrl={callbackUrl} />
      {/* Sanitised by the server's markdown pipeline (lib/markdown), the same step the site uses. */}
      <div className="prose" data-testid="live-preview" dangerouslySetInnerHTML={{ __html: rendered?.html ?? '' }} />
    </section>
  );
}
