'use client';

import { useEffect, useId, useState } from 'react';
import type { PostFields } from '@/lib/posts/schemas';
import type { PublicationChoices } from '@/lib/posts/publication-choices';
import type { Failure } from './action-error';

type Props = {
  postId: string;
  fields: PostFields;
  onEdit: (patch: Partial<PostFields>) => void;
  error: Failure | null;
};

const NEW_SERIES = '\u0000new';

/** The choices come from the data layer (`/api/editor/publication-choices`), which decides what this viewer may see. */
function useChoices(postId: string) {
  const [state, setState] = useState<{ choices: PublicationChoices | null; error: string | null }>({ choices: null, error: null });
  useEffect(() => {
    // A post not written yet (/editor/posts/new) has no id: the choices come once its draft exists.
    if (!postId) return;
    let live = true;
    fetch(`/api/editor/publication-choices?post=${encodeURIComponent(postId)}`, { credentials: 'same-origin', cache: 'no-store' })
      .then(async (response) => {
        const body = (await response.json()) as { ok: boolean; choices?: PublicationChoices; error?: string };
        if (!live) return;
        if (body.ok && body.choices) setState({ choices: body.choices, error: null });
        else setState({ choices: null, error: body.error ?? 'The authors and series could not be loaded.' });
      })
      .catch(() => {
        if (live) setState({ choices: null, error: 'The authors and series could not be loaded: reload the page to try again.' });
      });
    return () => {
      live = false;
    };
  }, [postId]);
  return state;
}

/**
 * A post's publication fields: featured on the home page (editors and admins), the byline (ordered,
 * the first is the primary author) and the series. They travel with the post's other fields
 * (autosave, revisions, conflicts); the data layer refuses what the viewer may not change.
 */
export function PublicationFields({ postId, fields, onEdit, error }: Props) {
  const { choices, error: loadError } = useChoices(postId);
  const ids = useId();
  const [adding, setAdding] = useState('');
  const [seriesChoice, setSeriesChoice] = useState<string | null>(null);
  const bad = error?.field;
  const problem = (name: 'authors' | 'series' | 'featured') =>
    bad === name ? (
      <p className="field-error" id={`post-${name}-error`}>
        {error?.error}
      </p>
    ) : null;

  if (!postId) return <p className="hint">Featured, authors and series: once the draft exists (start writing).</p>;
  if (loadError) return <p className="field-error">{loadError}</p>;
  if (!choices) return <p className="hint">Loading authors and series…</p>;

  const authors = fields.authors ?? [];
  const nameOf = (id: string) => choices.people.find((person) => person.id === id)?.name ?? 'Unknown person';
  const available = choices.people.filter((person) => !authors.includes(person.id));
  const move = (from: number, to: number) => {
    const next = [...authors];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved);
    onEdit({ authors: next });
  };
  // Without the right to change the primary author, the first place is fixed.
  const fixed = (index: number) => !choices.canChangePrimary && index === 0;

  const known = choices.series.some((item) => item.name === fields.series);
  const selectValue = seriesChoice ?? (fields.series === '' || fields.series === undefined ? '' : known ? fields.series : NEW_SERIES);

  return (
    <div className="publication-fields">
      {choices.canFeature ? (
        <div className="field field-check">
          <input id="post-featured" type="checkbox" checked={fields.featured ?? false} onChange={(event) => onEdit({ featured: event.target.checked })} />
          <label htmlFor="post-featured">Featured: lead the home page with this post</label>
          {problem('featured')}
        </div>
      ) : fields.featured ? (
        <p className="hint">Featured on the home page by an editor.</p>
      ) : null}

      <fieldset className="field authors-field" aria-describedby={`${ids}-authors-hint`}>
        <legend>Authors</legend>
        <ol className="author-order" aria-label="Authors in byline order">
          {authors.map((id, index) => (
            <li key={id}>
              <span className="author-name">
                {nameOf(id)}
                {index === 0 ? <span className="hint"> (primary)</span> : null}
              </span>
              <span className="button-row">
                <button
                  type="button"
                  className="button-quiet"
                  onClick={() => move(index, index - 1)}
                  disabled={index === 0 || fixed(index - 1)}
                  aria-label={`Move ${nameOf(id)} up`}
                >
                  Up
                </button>
                <button
                  type="button"
                  className="button-quiet"
                  onClick={() => move(index, index + 1)}
                  disabled={index === authors.length - 1 || fixed(index)}
                  aria-label={`Move ${nameOf(id)} down`}
                >
                  Down
                </button>
                <button
                  type="button"
                  className="button-quiet"
                  onClick={() => onEdit({ authors: authors.filter((other) => other !== id) })}
                  disabled={authors.length === 1 || fixed(index)}
                  aria-label={`Remove ${nameOf(id)}`}
                >
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ol>
        <div className="slug-row">
          <label htmlFor={`${ids}-add`} className="visually-hidden">
            Add an author
          </label>
          <select id={`${ids}-add`} value={adding} onChange={(event) => setAdding(event.target.value)}>
            <option value="">Add an author…</option>
            {available.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button-secondary"
            disabled={!adding}
            onClick={() => {
              onEdit({ authors: [...authors, adding] });
              setAdding('');
            }}
          >
            Add author
          </button>
        </div>
        <p className="hint" id={`${ids}-authors-hint`}>
          The byline in order: the first is the primary author{choices.canChangePrimary ? '' : ' (an editor can change who that is)'}. Every author&apos;s page lists
          the post.
        </p>
        {problem('authors')}
      </fieldset>

      <div className="field">
        <label htmlFor="post-series">Series</label>
        <select
          id="post-series"
          value={selectValue}
          onChange={(event) => {
            const value = event.target.value;
            setSeriesChoice(value === NEW_SERIES ? NEW_SERIES : null);
            onEdit({ series: value === NEW_SERIES ? '' : value });
          }}
          aria-describedby="post-series-hint"
        >
          <option value="">None</option>
          {choices.series.map((item) => (
            <option key={item.id} value={item.name}>
              {item.name}
            </option>
          ))}
          <option value={NEW_SERIES}>New series…</option>
        </select>
        {selectValue === NEW_SERIES ? (
          <>
            <label htmlFor="post-series-name">New series name</label>
            <input id="post-series-name" type="text" value={fields.series ?? ''} maxLength={120} onChange={(event) => onEdit({ series: event.target.value })} />
          </>
        ) : null}
        <p className="hint" id="post-series-hint">
          Articles of a series show its published parts as a numbered list, oldest first, with previous and next links.
        </p>
        {problem('series')}
      </div>
    </div>
  );
}
