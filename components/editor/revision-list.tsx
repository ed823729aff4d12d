import Link from 'next/link';
import type { RevisionSummary } from '@/lib/posts/editor-queries';
import { formatDateTime } from './time-zone';

const kinds: Record<string, string> = {
  save: 'Saved',
  autosave: 'Autosaved',
  publish: 'Published',
  restore: 'Restored',
  import: 'Imported',
};

export function RevisionList({
  postId,
  revisions,
  selected,
  timeZone,
}: {
  postId: string;
  revisions: RevisionSummary[];
  selected: string | null;
  timeZone: string;
}) {
  if (revisions.length === 0) return <p className="empty">No revisions yet. One is kept on every explicit save and publish.</p>;
  return (
    <div className="table-scroll">
      <table className="editor-table">
        <caption className="visually-hidden">Revisions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Kind</th>
            <th scope="col">By</th>
            <th scope="col">When</th>
            <th scope="col">
              <span className="visually-hidden">Compare</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((revision) => (
            <tr key={revision.id} className={revision.id === selected ? 'is-selected' : undefined}>
              <td>{revision.version}</td>
              <td>{kinds[revision.kind] ?? revision.kind}</td>
              <td>{revision.actorName ?? 'Someone (account removed)'}</td>
              <td>
                <time dateTime={revision.createdAt.toISOString()}>{formatDateTime(revision.createdAt, timeZone)}</time>
              </td>
              <td>
                <Link
                  href={`/editor/posts/${postId}/revisions?rev=${revision.id}`}
                  aria-current={revision.id === selected ? 'true' : undefined}
                  aria-label={`Compare version ${revision.version} with the current one`}
                >
                  Compare
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
