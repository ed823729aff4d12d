'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { NewsletterSummary } from '@/lib/newsletters/queries';
import { formatDateTime } from './time-zone';
import type { PostSync } from './use-post-sync';

/** While a send is under way the page is re-read this often (the worker sends; this only looks). */
const REFRESH_MS = 3_000;

const stateLabels: Record<NewsletterSummary['state'], string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
};

type Props = { sync: PostSync; newsletter: NewsletterSummary | null; timeZone: string };

/**
 * "Also send by email" for a post: the choice (saved with the post, for those who may publish it)
 * until its newsletter exists, then the send itself: queued, sending with counts, sent or failed
 * with the first reasons.
 */
export function NewsletterPanel({ sync, newsletter, timeZone }: Props) {
  const { post, fields, edit } = sync;
  const router = useRouter();
  const stored = post.fields.sendEmail === true;
  const live = post.displayStatus === 'published';
  const starting = !newsletter && stored && live;
  const running = starting || newsletter?.state === 'queued' || newsletter?.state === 'sending';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, router]);

  const mayChoose = post.kind === 'post' && post.can.publish && post.can.edit;
  if (post.kind !== 'post' || (!newsletter && !mayChoose && !stored)) return null;

  return (
    <section className="panel newsletter-panel" aria-labelledby="newsletter-heading">
      <h2 id="newsletter-heading">Email</h2>
      {newsletter ? (
        <NewsletterStatus newsletter={newsletter} timeZone={timeZone} />
      ) : (
        <>
          <label>
            <input
              type="checkbox"
              id="post-sendEmail"
              checked={fields.sendEmail ?? stored}
              disabled={!mayChoose || live}
              onChange={(event) => edit({ sendEmail: event.target.checked })}
              aria-describedby="post-sendEmail-hint"
            />{' '}
            Also send by email
          </label>
          <p className="hint" id="post-sendEmail-hint" data-testid="newsletter-state">
            {starting
              ? 'Queued: sending to subscribed members starts in a moment.'
              : live
                ? 'This post is already public: a post is sent by email only when it first becomes public.'
                : post.displayStatus === 'scheduled' && (fields.sendEmail ?? stored)
                  ? 'Subscribed members get it by email when it goes live, once.'
                  : 'Subscribed members get it by email once, when it is first published.'}
          </p>
        </>
      )}
    </section>
  );
}

function NewsletterStatus({ newsletter: n, timeZone }: { newsletter: NewsletterSummary; timeZone: string }) {
  const more = n.failed - n.failures.length;
  return (
    <>
      <label>
        <input type="checkbox" checked disabled aria-describedby="newsletter-state" /> Sent by email (once per post)
      </label>
      <p className="newsletter-state" id="newsletter-state" data-testid="newsletter-state" role="status">
        <strong>{stateLabels[n.state]}</strong>
        {n.finishedAt ? (
          <>
            {' '}
            <time dateTime={n.finishedAt}>{formatDateTime(n.finishedAt, timeZone)}</time>
          </>
        ) : null}
      </p>
      <p className="hint" data-testid="newsletter-counts">
        {n.sent} of {n.recipients} sent · {n.failed} failed · {n.pending} pending
        {n.skipped > 0 ? ` · ${n.skipped} unsubscribed since` : ''}
      </p>
      {n.failures.length > 0 ? (
        <ul className="newsletter-failures">
          {n.failures.map((failure, index) => (
            <li key={index}>
              {failure.email ? `${failure.email}: ` : ''}
              {failure.error}
            </li>
          ))}
          {more > 0 ? <li>and {more} more</li> : null}
        </ul>
      ) : null}
    </>
  );
}
