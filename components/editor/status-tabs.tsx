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

/** `/editor?status=…&q=…&after=…` (or `/editor/pages?…`), leaving out what is at its default. */
export function listHref(options: { status: Status; q: string; after?: string | null; base?: string }): string {
  const params = new URLSearchParams();
  if (options.status !== 'all') params.set('status', options.status);
  if (options.q) params.set('q', options.q);
  if (options.after) params.set('after', options.after);
  const query = params.toString();
  const base = options.base ?? '/editor';
  return query ? `${base}?${query}` : base;
}

type TabsProps = { current: Status; q: string; counts: EditorList['counts']; base?: string; label?: string };

export function StatusTabs({ current, q, counts, base = '/editor', label: navLabel = 'Posts by status' }: TabsProps) {
  return (
    <nav aria-label={navLabel} className="status-tabs">
      <ul>
        {tabs.map(([status, label]) => (
          <li key={status}>
            <Link href={listHref({ status, q, base })} aria-current={status === current ? 'page' : undefined}>
              {label} <span className="tab-count">{counts[status]}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
