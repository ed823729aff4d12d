'use client';

import type { PostFields } from '@/lib/posts/schemas';
import type { Failure } from './action-error';

type Props = { fields: PostFields; onEdit: (patch: Partial<PostFields>) => void; error: Failure | null; isPage: boolean };

/** The title and subtitle at the head of the page, set like the article they become; labelled for screen readers. */
export function PostHeadingFields({ fields, onEdit, error, isPage }: Props) {
  const field = (name: 'title' | 'subtitle', label: string, placeholder: string) => {
    const bad = error?.field === name;
    return (
      <div className={`heading-field heading-${name}`}>
        <label htmlFor={`post-${name}`} className="visually-hidden">
          {label}
        </label>
        <input
          id={`post-${name}`}
          type="text"
          value={fields[name]}
          placeholder={placeholder}
          onChange={(event) => onEdit({ [name]: event.target.value })}
          aria-invalid={bad || undefined}
          aria-describedby={bad ? `post-${name}-error` : undefined}
          className={name === 'title' ? 'input-title' : 'input-subtitle'}
          autoComplete="off"
        />
        {bad ? (
          <p className="field-error" id={`post-${name}-error`}>
            {error?.error}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <div className="post-heading">
      {field('title', 'Title', isPage ? 'Page title' : 'Post title')}
      {field('subtitle', 'Subtitle', 'Subtitle (optional)')}
    </div>
  );
}
