import Link from 'next/link';
import type { MediaItem } from '@/lib/media/queries';
import { MediaAltForm, type MediaAltAction } from './media-alt-form';
import { MediaDeleteButton, type MediaDeleteAction } from './media-delete-button';
import { thumbnailFor } from './media-thumb';
import { formatDateTime } from './time-zone';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** One image in the library: thumbnail, facts, where it is used, and what the viewer may do to it. */
type Props = { item: MediaItem; timeZone: string; actions: { updateAlt: MediaAltAction; delete: MediaDeleteAction } };

export function MediaCard({ item, timeZone, actions }: Props) {
  const thumb = thumbnailFor(item);
  return (
    <li className="media-card" data-testid="media-card" data-filename={item.filename}>
      <a href={item.url} className="media-card-image" target="_blank" rel="noreferrer">
        {/* eslint-disable-next-line @next/next/no-img-element -- our own variant, sized from the URL */}
        <img src={thumb.src} width={thumb.width} height={thumb.height} alt={item.alt} loading="lazy" decoding="async" />
      </a>
      <div className="media-card-body">
        <h2 className="media-card-name">{item.filename}</h2>
        <p className="media-card-facts">
          {item.width} × {item.height} · {formatBytes(item.bytes)}
          <br />
          {item.uploaderName ?? 'Unknown uploader'} · <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, timeZone)}</time>
        </p>
        {item.usedBy.length > 0 ? (
          <div className="media-card-used">
            <span className="label">Used in</span>
            <ul>
              {item.usedBy.map((post) => (
                <li key={post.id}>
                  <Link href={`/editor/posts/${post.id}`}>{post.title || '(untitled)'}</Link>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="hint">Not used in any post.</p>
        )}
        {item.canEdit ? (
          <MediaAltForm id={item.id} alt={item.alt} filename={item.filename} updateMediaAltAction={actions.updateAlt} />
        ) : item.alt ? (
          <p>Alt text: {item.alt}</p>
        ) : null}
        {item.canDelete ? (
          <MediaDeleteButton id={item.id} filename={item.filename} deleteMediaAction={actions.delete} />
        ) : item.canEdit ? (
          // The uploader or an editor, refused only because a post still shows it.
          <div>
            <button type="button" className="button-danger" disabled aria-describedby={`media-in-use-${item.id}`}>
              Delete
            </button>
            <p className="hint" id={`media-in-use-${item.id}`} data-testid="media-in-use">
              {item.usedBy.length > 0
                ? 'In use, so it cannot be deleted: remove it from the posts above first.'
                : 'In use by a post you cannot see, so it cannot be deleted.'}
            </p>
          </div>
        ) : null}
      </div>
    </li>
  );
}
