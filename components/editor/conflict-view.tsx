'use client';

import { useEffect, useRef } from 'react';
import type { EditorPost } from '@/lib/posts/editor-queries';
import type { PostFields } from '@/lib/posts/schemas';
import { differingFields } from './draft';
import { formatDateTime } from './time-zone';

type Props = { theirs: EditorPost; mine: PostFields; timeZone: string; onKeepMine: () => void; onTakeTheirs: () => void };

const fieldNames: Record<keyof PostFields, string> = {
  title: 'title',
  subtitle: 'subtitle',
  description: 'description',
  slug: 'slug',
  heroImage: 'hero image',
  heroImageAlt: 'alt text',
  cta: 'call to action',
  tags: 'tags',
  readTimeOverride: 'reading time',
  markdown: 'body',
  sendEmail: 'send by email',
  featured: 'featured',
  authors: 'authors',
  series: 'series',
};

/** Someone saved first: both versions side by side, and the writer decides. Autosave waits meanwhile. */
export function ConflictView({ theirs, mine, timeZone, onKeepMine, onTakeTheirs }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [theirs.version]);
  const differs = differingFields(mine, theirs.fields).map((key) => fieldNames[key]);
  return (
    <section className="conflict" data-testid="conflict" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" ref={heading} tabIndex={-1}>
        Someone else saved this post while you were editing
      </h2>
      <p>
        Version {theirs.version} was saved on <time dateTime={theirs.updatedAt}>{formatDateTime(theirs.updatedAt, timeZone)}</time>. Your changes have not been saved
        and are kept in this browser.
        {differs.length > 0 ? ` The versions differ in: ${differs.join(', ')}.` : ''} Choose which version to keep.
      </p>
      <div className="conflict-columns">
        <div className="conflict-side">
          <h3>Theirs (saved)</h3>
          <p className="conflict-title">{theirs.fields.title || '(untitled)'}</p>
          <pre className="conflict-body" tabIndex={0} aria-label="Their text">
            {theirs.fields.markdown}
          </pre>
        </div>
        <div className="conflict-side">
          <h3>Yours (on screen)</h3>
          <p className="conflict-title">{mine.title || '(untitled)'}</p>
          <pre className="conflict-body" tabIndex={0} aria-label="Your text">
            {mine.markdown}
          </pre>
        </div>
      </div>
      <div className="button-row">
        <button type="button" className="button" onClick={onKeepMine}>
          Keep mine
        </button>
        <button type="button" className="button-secondary" onClick={onTakeTheirs}>
          Take theirs
        </button>
      </div>
    </section>
  );
}
