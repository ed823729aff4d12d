'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionResult } from '@/lib/actions';
import { ActionError, failureFromThrow, type Failure } from './action-error';
import { removeLocalDraft } from './draft';
import { usePostActions } from './post-actions';
import { StatusBadge } from './status-badge';
import { formatDateTime, isoToZonedLocal, zonedLocalToIso, zoneLabel } from './time-zone';
import type { PostSync } from './use-post-sync';

type Key = 'submit' | 'publish' | 'schedule' | 'unpublish' | 'trash' | 'restore' | 'delete';

/** Status, publish time, and the transitions this viewer may make now (from `post.can`). */
export function PublishPanel({ sync, timeZone, callbackUrl }: { sync: PostSync; timeZone: string; callbackUrl: string }) {
  const { post, conflict } = sync;
  const router = useRouter();
  const [pending, setPending] = useState<Key | null>(null);
  const [failed, setFailed] = useState<{ key: Key; failure: Failure } | null>(null);
  const {
    submit: submitPostAction,
    publish: publishPostAction,
    schedule: schedulePostAction,
    unpublish: unpublishPostAction,
    trash: trashPostAction,
    restore: restorePostAction,
    delete: deletePostAction,
  } = usePostActions();
  const [when, setWhen] = useState(() => (post.status === 'scheduled' && post.publishAt ? isoToZonedLocal(post.publishAt, timeZone) : ''));
  const id = post.id;
  const noun = post.kind === 'page' ? 'page' : 'post';
  const publicPath = post.kind === 'page' ? `/${post.slug}` : `/posts/${post.slug}`;

  async function run(key: Key, work: () => Promise<ActionResult<unknown> | null>) {
    setPending(key);
    setFailed(null);
    try {
      const result = await work();
      if (result && !result.ok) setFailed({ key, failure: result });
      return result;
    } catch {
      setFailed({ key, failure: await failureFromThrow() });
      return null;
    } finally {
      setPending(null);
    }
  }

  function schedule() {
    let publishAt: string;
    try {
      publishAt = zonedLocalToIso(when, timeZone);
    } catch {
      setFailed({ key: 'schedule', failure: { ok: false, error: 'Pick a date and time.', field: 'publishAt' } });
      return;
    }
    void run('schedule', () => sync.writeFields((input) => schedulePostAction({ ...input, publishAt })));
  }

  async function remove() {
    if (!window.confirm(`Delete this ${noun} for ever? Its revisions go too. This cannot be undone.`)) return;
    const result = await run('delete', () => deletePostAction({ id }));
    if (result?.ok) {
      removeLocalDraft(id);
      router.push(post.kind === 'page' ? '/editor/pages' : '/editor');
    }
  }

  let zone = zoneLabel(timeZone);
  try {
    if (when) zone = zoneLabel(timeZone, new Date(zonedLocalToIso(when, timeZone)));
  } catch {
    // Half-typed value: show today's offset.
  }
  const busy = pending !== null || conflict !== null;
  const error = (key: Key) => (failed?.key === key ? <ActionError failure={failed.failure} callbackUrl={callbackUrl} /> : null);
  const button = (key: Key, label: string, onClick: () => void, className = 'button') => (
    <div className="action-row">
      <button type="button" className={className} onClick={onClick} disabled={busy} aria-busy={pending === key || undefined}>
        {pending === key ? `${label}…` : label}
      </button>
      {error(key)}
    </div>
  );

  return (
    <section className="panel publish-panel" aria-labelledby="publish-heading">
      <h2 id="publish-heading">Publishing</h2>
      <p className="publish-status">
        <StatusBadge status={post.displayStatus} />
        {post.publishAt && (post.displayStatus === 'published' || post.displayStatus === 'scheduled') ? (
          <span>
            {post.displayStatus === 'published' ? 'since ' : 'for '}
            <time dateTime={post.publishAt}>{formatDateTime(post.publishAt, timeZone)}</time> ({timeZone})
          </span>
        ) : null}
      </p>
      {post.displayStatus === 'published' ? (
        <p className="hint">
          This {noun} is live, so it is not autosaved: your changes are kept in this browser until you save or publish them, and then readers see them.{' '}
          <a href={publicPath}>View it</a>
        </p>
      ) : null}
      {post.displayStatus === 'review' && !post.can.publish ? <p className="hint">Waiting for an editor to publish it.</p> : null}
      {post.can.submit ? button('submit', 'Submit for review', () => void run('submit', () => sync.writeFields(submitPostAction))) : null}
      {post.can.publish
        ? button(
            'publish',
            post.displayStatus === 'published' ? 'Publish changes' : 'Publish now',
            () => void run('publish', () => sync.writeFields(publishPostAction)),
          )
        : null}
      {post.can.schedule ? (
        <div className="schedule">
          <label htmlFor="publish-at">Publish at</label>
          <div className="schedule-row">
            <input id="publish-at" type="datetime-local" value={when} onChange={(event) => setWhen(event.target.value)} aria-describedby="publish-at-zone" />
            <button type="button" className="button" onClick={schedule} disabled={busy || !when} aria-busy={pending === 'schedule' || undefined}>
              {pending === 'schedule' ? 'Scheduling…' : 'Schedule'}
            </button>
          </div>
          <p className="hint" id="publish-at-zone">
            {zone}
          </p>
          {error('schedule')}
        </div>
      ) : null}
      {post.can.unpublish
        ? button('unpublish', 'Unpublish', () => void run('unpublish', () => sync.transition(() => unpublishPostAction({ id }))), 'button-secondary')
        : null}
      {post.can.trash ? button('trash', 'Move to trash', () => void run('trash', () => sync.transition(() => trashPostAction({ id }))), 'button-secondary') : null}
      {post.can.restore ? button('restore', 'Restore', () => void run('restore', () => sync.transition(() => restorePostAction({ id })))) : null}
      {post.can.delete ? button('delete', 'Delete forever', () => void remove(), 'button-danger') : null}
    </section>
  );
}
