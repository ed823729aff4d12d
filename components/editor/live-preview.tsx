'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';
import { ActionError, failureFromThrow, type Failure } from './action-error';
import { usePostActions } from './post-actions';

export const PREVIEW_DELAY_MS = 400;

/** refreshKey: the saved version. A save resolves the body's embeds (lib/embeds), so the preview asks again and shows their cards. */
type Props = { markdown: string; refreshKey?: number; callbackUrl: string; scrollRef?: RefObject<HTMLDivElement | null> };

/** The body through the site's own pipeline, 400 ms after typing stops; late answers are dropped. */
export function LivePreview({ markdown, refreshKey, callbackUrl, scrollRef }: Props) {
  const [html, setHtml] = useState<string | null>(null);
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
        setHtml(result.data.html);
        setFailure(null);
      } else {
        setFailure(result);
      }
    }, PREVIEW_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [markdown, refreshKey, renderPreviewAction]);

  return (
    <section className="live-preview" aria-labelledby="live-preview-heading">
      <h2 id="live-preview-heading" className="live-preview-heading">
        Preview
      </h2>
      <ActionError failure={failure} callbackUrl={callbackUrl} />
      {/* Sanitised by the server's markdown pipeline (lib/markdown), the same step the site uses. */}
      <div
        ref={scrollRef}
        className="prose live-preview-body"
        data-testid="live-preview"
        aria-busy={html === null}
        dangerouslySetInnerHTML={{ __html: html ?? '' }}
      />
    </section>
  );
}
