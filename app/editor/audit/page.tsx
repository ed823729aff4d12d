import type { Metadata } from 'next';
import Link from 'next/link';
import { AuditTable } from '@/components/admin/audit-table';
import { adminOnly } from '@/components/admin/guard';
import { AUDIT_PREFIXES, auditFilterSchema, listAudit, listAuditActors } from '@/lib/audit/queries';
import { firstParam } from '@/lib/params';
import { getSiteSettings } from '@/lib/site/settings';
import '@/components/admin/admin.css';
import { Pager } from '@/components/ui/pager';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Audit log' };

/** Admins: who did what and when, newest first, filtered by kind of action and by person. */
export default async function AuditPage({ searchParams }: Props) {
  const raw = await searchParams;
  const filter = auditFilterSchema.parse({ action: firstParam(raw.action), actorId: firstParam(raw.actor), before: firstParam(raw.before) });
  const [page, actors, site] = await Promise.all([adminOnly(listAudit(filter), '/editor/audit'), adminOnly(listAuditActors(), '/editor/audit'), getSiteSettings()]);
  const href = (before?: number) =>
    `/editor/audit?${new URLSearchParams({
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.actorId ? { actor: filter.actorId } : {}),
      ...(before ? { before: String(before) } : {}),
    })}`;
  return (
    <>
      <h1 className="editor-title">Audit log</h1>
      <form action="/editor/audit" method="get" className="editor-search" aria-label="Filter the audit log">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" name="action" defaultValue={filter.action ?? ''}>
          <option value="">All actions</option>
          {(filter.action && !AUDIT_PREFIXES.some((p) => p === filter.action) ? [filter.action, ...AUDIT_PREFIXES] : AUDIT_PREFIXES).map((prefix) => (
            <option key={prefix} value={prefix}>
              {prefix}*
            </option>
          ))}
        </select>
        <label htmlFor="audit-actor">Who</label>
        <select id="audit-actor" name="actor" defaultValue={filter.actorId ?? ''}>
          <option value="">Everyone</option>
          {actors.map((actor) => (
            <option key={actor.id} value={actor.id}>
              {actor.name}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
        {filter.action || filter.actorId ? <Link href="/editor/audit">Clear</Link> : null}
      </form>
      {page.entries.length === 0 ? (
        <p className="empty">Nothing recorded{filter.before ? ' before these' : ''}.</p>
      ) : (
        <AuditTable entries={page.entries} timeZone={site.timeZone} />
      )}
      <Pager newestHref={filter.before ? href() : null} olderHref={page.nextBefore ? href(page.nextBefore) : null} />
    </>
  );
}
