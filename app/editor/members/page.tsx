import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { adminOnly } from '@/components/admin/guard';
import { MemberCounts } from '@/components/admin/member-counts';
import { MemberTable } from '@/components/admin/member-table';
import { Pager } from '@/components/ui/pager';
import { countMembers, listMembers } from '@/lib/members/queries';
import { MAX_EMAIL, MAX_MEMBER_NAME, memberListSchema } from '@/lib/members/schemas';
import { firstParam } from '@/lib/params';
import { getSiteSettings } from '@/lib/site/settings';
import { addMemberAction, deleteMemberAction, importMembersAction } from './actions';
import '@/components/admin/admin.css';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Members' };

/** Editors and admins: the readers who subscribe by email. Counts, search, add, delete, import and export as CSV. */
export default async function MembersPage({ searchParams }: Props) {
  const raw = await searchParams;
  const { q, status, after } = memberListSchema.parse({ q: firstParam(raw.q), status: firstParam(raw.status), after: firstParam(raw.after) });
  const [page, counts, site] = await Promise.all([
    adminOnly(listMembers({ q, status, after }), '/editor/members'),
    adminOnly(countMembers(), '/editor/members'),
    getSiteSettings(),
  ]);
  const href = (cursor?: string) =>
    `/editor/members?${new URLSearchParams({ ...(q ? { q } : {}), ...(status ? { status } : {}), ...(cursor ? { after: cursor } : {}) })}`;
  return (
    <>
      <h1 className="editor-title">Members</h1>
      <p className="hint">
        Readers who subscribe by email, from the form on the site (confirmed by a mail), by hand or by import. Only subscribed members are sent posts.
      </p>
      <MemberCounts counts={counts} current={status} />
      <section className="panel admin-section" aria-labelledby="member-add-heading">
        <h2 id="member-add-heading">Add a member</h2>
        <ActionForm action={addMemberAction} submitLabel="Add member" className="member-add">
          <div className="field">
            <label htmlFor="member-email">Email</label>
            <input id="member-email" name="email" type="email" required maxLength={MAX_EMAIL} />
          </div>
          <div className="field">
            <label htmlFor="member-name">Name</label>
            <input id="member-name" name="name" type="text" maxLength={MAX_MEMBER_NAME} />
          </div>
          <label className="checkbox">
            <input name="consent" type="checkbox" /> They agreed to receive posts by email (no confirmation mail)
          </label>
        </ActionForm>
      </section>
      <section className="panel admin-section" aria-labelledby="member-csv-heading">
        <h2 id="member-csv-heading">Import and export</h2>
        <p className="hint">
          CSV with the columns <code>email,name,consent_at,status</code> (a header row is optional; up to 1 MB). A row with a consent date (<code>2024-01-25</code>{' '}
          or an ISO time) is subscribed at once; one without is pending and gets a confirmation mail; a status of <code>unsubscribed</code> or <code>bounced</code>{' '}
          is kept and never mailed. Addresses that are already members are left as they are; a file with any problem imports nothing.{' '}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a route handler's CSV: <Link> would fetch (and prefetch) it as a page; `download` would save a sign-in redirect as the file */}
          <a href="/editor/members/export">Export every member as CSV</a>
        </p>
        <ActionForm action={importMembersAction} submitLabel="Import CSV" pendingLabel="Importing…" className="inline-form">
          <label htmlFor="member-csv">CSV file</label>
          <input id="member-csv" name="file" type="file" accept=".csv,text/csv" required />
        </ActionForm>
      </section>
      <form action="/editor/members" method="get" className="editor-search" role="search" aria-label="Search members">
        <label htmlFor="member-q">Search</label>
        <input id="member-q" name="q" type="search" maxLength={200} defaultValue={q ?? ''} placeholder="Address or name" />
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <button type="submit">Search</button>
        {q ? <Link href={status ? `/editor/members?status=${status}` : '/editor/members'}>Clear</Link> : null}
      </form>
      {page.items.length === 0 ? (
        <p className="empty">{q || status ? 'No member matches.' : after ? 'No older members.' : 'No members yet.'}</p>
      ) : (
        <MemberTable items={page.items} timeZone={site.timeZone} deleteAction={deleteMemberAction} />
      )}
      <Pager newestHref={after ? href() : null} olderHref={page.nextAfter ? href(page.nextAfter) : null} />
    </>
  );
}
