import Link from 'next/link';
import type { EditorListItem } from '@/lib/posts/editor-queries';
import { StatusBadge } from './status-badge';
import { formatDateTime } from './time-zone';

/** The editor's post list as a table; dates in the site's time zone. */
export function PostTable({ items, timeZone, caption = 'Posts, most recently changed first' }: { items: EditorListItem[]; timeZone: string; caption?: string }) {
  return (
    <div className="table-scroll">
      <table className="editor-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Author</th>
            <th scope="col">Last change</th>
            <th scope="col">Publish time</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td className="cell-title">
                <Link href={`/editor/posts/${item.id}`}>{item.title || '(untitled)'}</Link>
              </td>
              <td>
                <StatusBadge status={item.displayStatus} />
              </td>
              <td>{item.authorName}</td>
              <td>
                <time dateTime={item.updatedAt.toISOString()}>{formatDateTime(item.updatedAt, timeZone)}</time>
              </td>
              <td>
                {item.publishAt && (item.displayStatus === 'scheduled' || item.displayStatus === 'published') ? (
                  <time dateTime={item.publishAt.toISOString()}>{formatDateTime(item.publishAt, timeZone)}</time>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
