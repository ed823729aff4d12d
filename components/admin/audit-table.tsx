import { formatDateTime } from '@/components/editor/time-zone';
import type { AuditEntryView } from '@/lib/audit/queries';

const MAX_DETAIL = 140;

/** The detail JSON as one short line: "from: author; to: editor". */
export function summariseDetail(detail: Record<string, unknown>): string {
  // jsonb keeps keys in its own order ("to" before "from"); put a change the way people read it.
  const rank = (key: string) => (key === 'from' ? 0 : key === 'to' ? 1 : 2);
  const text = Object.entries(detail)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

function target(entry: AuditEntryView): string {
  if (entry.targetLabel) return `${entry.targetType}: ${entry.targetLabel}`;
  if (entry.targetType && entry.targetId) return `${entry.targetType} ${entry.targetId.slice(0, 8)}`;
  return '';
}

/** Audit entries, newest first, times in the site's zone. */
export function AuditTable({ entries, timeZone }: { entries: AuditEntryView[]; timeZone: string }) {
  return (
    <div className="table-scroll">
      <table className="editor-table audit-table">
        <caption className="visually-hidden">Audit log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Detail</th>
            <th scope="col">IP</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const detail = summariseDetail(entry.detail);
            return (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.at.toISOString()}>{formatDateTime(entry.at, timeZone)}</time>
                </td>
                <td>{entry.actor?.name ?? <span className="muted">—</span>}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td title={entry.targetId ?? undefined}>{target(entry)}</td>
                <td title={detail.endsWith('…') ? JSON.stringify(entry.detail) : undefined}>{detail}</td>
                <td>{entry.ip ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
