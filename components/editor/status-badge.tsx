import type { DisplayStatus } from '@/lib/posts/editor-queries';

export const statusLabels: Record<DisplayStatus, string> = {
  draft: 'Draft',
  review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  trash: 'Trash',
};

export function StatusBadge({ status }: { status: DisplayStatus }) {
  return <span className={`status-badge status-${status}`}>{statusLabels[status]}</span>;
}
