'use client';

import { useState } from 'react';
import { parseTags } from './draft';

type Props = { id: string; tags: string[]; onChange: (tags: string[]) => void; describedBy?: string; invalid?: boolean };

/** Tags typed as "one, two, three", shown back as chips; new names are created when the post is saved. */
export function TagInput({ id, tags, onChange, describedBy, invalid }: Props) {
  const [text, setText] = useState(() => tags.join(', '));
  // When the tags change from outside (restore, "take theirs"), show them; while typing, keep the text as typed.
  const [shown, setShown] = useState(tags);
  if (shown !== tags) {
    setShown(tags);
    if (parseTags(text).join('\u0000') !== tags.join('\u0000')) setText(tags.join(', '));
  }
  return (
    <>
      <input
        id={id}
        type="text"
        value={text}
        autoComplete="off"
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        onChange={(event) => {
          setText(event.target.value);
          const next = parseTags(event.target.value);
          if (next.join('\u0000') !== tags.join('\u0000')) onChange(next);
        }}
      />
      {tags.length > 0 ? (
        <ul className="tag-chips" aria-label="Tags on this post">
          {tags.map((tag) => (
            <li key={tag} className="tag-chip">
              {tag}
              <button type="button" className="chip-remove" aria-label={`Remove tag ${tag}`} onClick={() => onChange(tags.filter((other) => other !== tag))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
