import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/admin/action-form';
import { adminOnly } from '@/components/admin/guard';
import { RedirectTable } from '@/components/admin/redirect-table';
import { Pager } from '@/components/ui/pager';
import { firstParam } from '@/lib/params';
import { listRedirects } from '@/lib/redirects/queries';
import { MAX_FROM, MAX_TARGET } from '@/lib/redirects/schemas';
import { getSiteSettings } from '@/lib/site/settings';
import { deleteRedirectAction, importRedirectsAction, saveRedirectAction } from './actions';
import '@/components/admin/admin.css';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Redirects' };

/** Admins: where old addresses go. Add, delete, search, import and export as CSV. */
export default async function RedirectsPage({ searchParams }: Props) {
  const raw = await searchParams;
  const q = firstParam(raw.q)?.trim().slice(0, 200) || undefined;
  const after = firstParam(raw.after);
  const [page, site] = await Promise.all([adminOnly(listRedirects({ q, after }), '/editor/redirects'), getSiteSettings()]);
  const href = (cursor?: string) => `/editor/redirects?${new URLSearchParams({ ...(q ? { q } : {}), ...(cursor ? { after: cursor } : {}) })}`;
  return (
    <>
      <h1 className="editor-title">Redirects</h1>
      <p className="hint">
        An old address (<code>/2024/01/25/slug</code>, <code>/category/news</code>, <code>/?p=123</code>) that nothing on the site answers goes where its redirect
        says; with or without a trailing slash, in one hop.
      </p>
      <section className="panel admin-section" aria-labelledby="redirect-add-heading">
        <h2 id="redirect-add-heading">Add a redirect</h2>
        <ActionForm action={saveRedirectAction} submitLabel="Add redirect" className="redirect-add">
          <div className="field">
            <label htmlFor="redirect-from">From</label>
            <input id="redirect-from" name="from" type="text" required maxLength={MAX_FROM} placeholder="/old/address" className="mono" />
          </div>
          <div className="field">
            <label htmlFor="redirect-to">To</label>
            <input id="redirect-to" name="to" type="text" required maxLength={MAX_TARGET} placeholder="/posts/new or https://…" className="mono" />
          </div>
          <div className="field">
            <label htmlFor="redirect-status">Status</label>
            <select id="redirect-status" name="status" defaultValue="301">
              <option value="301">301 permanent</option>
              <option value="302">302 temporary</option>
            </select>
          </div>
        </ActionForm>
      </section>
      <section className="panel admin-section" aria-labelledby="redirect-csv-heading">
        <h2 id="redirect-csv-heading">Import and export</h2>
        <p className="hint">
          CSV with the columns <code>from,to,status</code> (status 301 or 302, 301 when empty; a header row is optional), up to 1 MB. Each line replaces the redirect
          from its address; a file with any problem imports nothing.{' '}
          {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a route handler's CSV: <Link> would fetch (and prefetch) it as a page; `download` would save a sign-in redirect as the file */}
          <a href="/editor/redirects/export">Export every redirect as CSV</a>
        </p>
        <ActionForm action={importRedirectsAction} submitLabel="Import CSV" pendingLabel="Importing…" className="inline-form">
          <label htmlFor="redirect-csv">CSV file</label>
          <input id="redirect-csv" name="file" type="file" accept=".csv,text/csv" required />
        </ActionForm>
      </section>
      <form action="/editor/redirects" method="get" className="editor-search" role="search" aria-label="Search redirects">
        <label htmlFor="redirect-q">Search</label>
        <input id="redirect-q" name="q" type="search" maxLength={200} defaultValue={q ?? ''} placeholder="Part of an address" />
        <button type="submit">Search</button>
        {q ? <Link href="/editor/redirects">Clear</Link> : null}
      </form>
      {page.items.length === 0 ? (
        <p className="empty">{q ? 'No redirect matches.' : after ? 'No older redirects.' : 'No redirects yet.'}</p>
      ) : (
        <RedirectTable items={page.items} timeZone={site.timeZone} deleteAction={deleteRedirectAction} />
      )}
      <Pager newestHref={after ? href() : null} olderHref={page.nextAfter ? href(page.nextAfter) : null} />
    </>
  );
}
