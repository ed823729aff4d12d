import Link from 'next/link';
import type { EditorList } from '@/lib/posts/editor-queries';

type Status = keyof EditorList['counts'];

const tabs: [Status, string][] = [
  ['all', 'All'],
  ['draft', 'Drafts'],
  ['review', 'In review'],
  ['scheduled', 'Scheduled'],
  ['published', 'Published'],
  ['trash', 'Trash'],
];

/** `/editor?status=…&q=…&after=…`, leaving out what is at its default. */
export function listHref(options: { status: Status; q: string; after?: string | null }): string {
  const params = new URLSearchParams();
  if (options.status !== 'all') params.set('status', options.status);
  if (options.q) params.set('q', options.q);
  if (options.after) params.set('after', options.after);
  const query = params.toString();
  return query ? `/editor?${query}` : '/editor';
}

export function StatusTabs({ current, q, counts }: { current: Status; q: string; counts: EditorList['counts'] }) {
  return (
    <nav aria-label="Posts by status" className="status-tabs">
      <ul>
        {tabs.map(([status, label]) => (
          <li key={status}>
            <Link href={listHref({ status, q })} aria-current={status === current ? 'page' : undefined}>
              {label} <span className="tab-count">{counts[status]}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
