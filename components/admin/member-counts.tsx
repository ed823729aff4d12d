import Link from 'next/link';
import { memberStatuses, type MemberStatus } from '@/db/schema';
import type { MemberCounts } from '@/lib/members/queries';

/** How many members have each status; each count filters the list. */
export function MemberCounts({ counts, current }: { counts: MemberCounts; current: MemberStatus | undefined }) {
  return (
    <nav className="member-counts" aria-label="Members by status">
      <ul>
        <li>
          <Link href="/editor/members" aria-current={current ? undefined : 'page'}>
            All <strong>{counts.total}</strong>
          </Link>
        </li>
        {memberStatuses.map((status) => (
          <li key={status}>
            <Link href={`/editor/members?status=${status}`} aria-current={current === status ? 'page' : undefined}>
              {status[0].toUpperCase() + status.slice(1)} <strong>{counts[status]}</strong>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
