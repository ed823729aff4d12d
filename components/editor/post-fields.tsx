'use client';

import { useState } from 'react';
import type { PostKind } from '@/db/schema';
import type { PostFields } from '@/lib/posts/schemas';
import type { Failure } from './action-error';
import { slugPreview } from './draft';
import { MediaHeroUpload } from './media-hero-upload';
import type { UploadedMedia } from './media-upload';
import { PublicationFields } from './publication-fields';
import { TagInput } from './tag-input';

type Props = {
  /** A page (at /<slug>) has no tags, call to action or reading time. */
  kind: PostKind;
  fields: PostFields;
  slugFollows: boolean;
  /** Once published, the URL no longer follows the title. */
  everPublished: boolean;
  currentSlug: string;
  postId: string;
  onEdit: (patch: Partial<PostFields>, slugFollows?: boolean) => void;
  error: Failure | null;
};

/** Which field a refusal is about; a bad tag comes back as its index in the list. */
function errorField(error: Failure | null): string | null {
  if (!error?.field) return null;
  return /^\d+$/.test(error.field) ? 'tags' : error.field;
}

/** Everything about the post (or page) but its title, subtitle and body: the settings panel's fields. */
export function PostFieldsForm({ kind, fields, slugFollows, everPublished, currentSlug, postId, onEdit, error }: Props) {
  const isPage = kind === 'page';
  const address = isPage ? '/' : '/posts/';
  const bad = errorField(error);
  // Set after a hero upload while the alt text is empty: the alt field asks for a description.
  const [altWanted, setAltWanted] = useState(false);
  const heroUploaded = (media: UploadedMedia) => {
    onEdit({ heroImage: media.url });
    if (!fields.heroImageAlt.trim()) {
      setAltWanted(true);
      document.getElementById('post-heroImageAlt')?.focus();
    }
  };
  const problem = (name: keyof PostFields) =>
    bad === name ? (
      <p className="field-error" id={`post-${name}-error`}>
        {error?.error}
      </p>
    ) : null;
  const describe = (name: keyof PostFields, hint?: boolean) =>
    [hint ? `post-${name}-hint` : '', bad === name ? `post-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const text = (name: 'heroImageAlt' | 'cta', label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`post-${name}`}>{label}</label>
      <input
        id={`post-${name}`}
        type="text"
        value={fields[name]}
        onChange={(event) => onEdit({ [name]: event.target.value })}
        aria-invalid={bad === name || undefined}
        aria-describedby={describe(name, Boolean(hint))}
      />
      {hint ? (
        <p className="hint" id={`post-${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {problem(name)}
    </div>
  );

  return (
    <div className="post-fields">
      <div className="field">
        <label htmlFor="post-description">Description</label>
        <textarea
          id="post-description"
          rows={2}
          value={fields.description}
          onChange={(event) => onEdit({ description: event.target.value })}
          aria-invalid={bad === 'description' || undefined}
          aria-describedby={describe('description', true)}
        />
        <p className="hint" id="post-description-hint">
          For search engines, feeds and link previews.
        </p>
        {problem('description')}
      </div>
      <div className="field">
        <label htmlFor="post-slug">Slug</label>
        <div className="slug-row">
          <span className="slug-prefix" aria-hidden="true">
            {address}
          </span>
          <input
            id="post-slug"
            type="text"
            value={slugFollows ? slugPreview(fields.title) : fields.slug}
            placeholder={slugPreview(fields.title)}
            spellCheck={false}
            autoCapitalize="none"
            onChange={(event) => onEdit({ slug: event.target.value.toLowerCase() }, false)}
            aria-invalid={bad === 'slug' || undefined}
            aria-describedby={describe('slug', true)}
          />
          {!slugFollows && !everPublished ? (
            <button type="button" className="button-quiet" onClick={() => onEdit({ slug: '' }, true)}>
              Follow the title
            </button>
          ) : null}
        </div>
        <p className="hint" id="post-slug-hint">
          {slugFollows
            ? `Follows the title until the ${kind} is first published (a number is added if another post or page, or the site itself, has it).`
            : everPublished
              ? `Published at ${address}${currentSlug}. Changing it redirects the old address to the new one.`
              : 'Set by hand: lower-case letters, digits and hyphens.'}
        </p>
        {problem('slug')}
      </div>
      <div className="field-pair">
        <div className="field">
          <label htmlFor="post-heroImage">Hero image URL</label>
          <input
            id="post-heroImage"
            type="text"
            inputMode="url"
            spellCheck={false}
            value={fields.heroImage}
            placeholder="https://…"
            onChange={(event) => onEdit({ heroImage: event.target.value })}
            aria-invalid={bad === 'heroImage' || undefined}
            aria-describedby={describe('heroImage')}
          />
          {problem('heroImage')}
          <MediaHeroUpload postId={postId} heroImage={fields.heroImage} heroImageAlt={fields.heroImageAlt} onUploaded={heroUploaded} />
        </div>
        {text(
          'heroImageAlt',
          'Hero image alt text',
          altWanted && !fields.heroImageAlt.trim()
            ? 'Image uploaded. Now describe it for people who cannot see it: what does it show?'
            : 'Describe the image for people who cannot see it.',
        )}
      </div>
      {isPage ? null : text('cta', 'Call to action', 'Shown at the end of the article; empty uses the site default.')}
      {isPage ? null : (
        <div className="field-pair">
          <div className="field">
            <label htmlFor="post-tags">Tags</label>
            <TagInput id="post-tags" tags={fields.tags} onChange={(tags) => onEdit({ tags })} describedBy={describe('tags', true)} invalid={bad === 'tags'} />
            <p className="hint" id="post-tags-hint">
              Separate with commas. New tags are created when the post is saved.
            </p>
            {problem('tags')}
          </div>
          <div className="field field-narrow">
            <label htmlFor="post-readTimeOverride">Reading time (minutes)</label>
            <input
              id="post-readTimeOverride"
              type="number"
              min={1}
              max={600}
              step={1}
              value={fields.readTimeOverride ?? ''}
              onChange={(event) => {
                const minutes = Number.parseInt(event.target.value, 10);
                onEdit({ readTimeOverride: Number.isFinite(minutes) ? minutes : null });
              }}
              aria-invalid={bad === 'readTimeOverride' || undefined}
              aria-describedby={describe('readTimeOverride', true)}
            />
            <p className="hint" id="post-readTimeOverride-hint">
              Empty: counted from the text.
            </p>
            {problem('readTimeOverride')}
          </div>
        </div>
      )}
      {isPage ? null : <PublicationFields postId={postId} fields={fields} onEdit={onEdit} error={error} />}
    </div>
  );
}
