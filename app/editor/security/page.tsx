import type { Metadata } from 'next';
import { adminOnly } from '@/components/admin/guard';
import { ThrottleTable } from '@/components/admin/throttle-table';
import { listThrottles } from '@/lib/auth/throttle-admin';
import { getSiteSettings } from '@/lib/site/settings';
import { clearThrottleAction } from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Security' };

/** Admins: the sign-in throttles counting or in force, and clearing one. */
export default async function SecurityPage() {
  const [items, site] = await Promise.all([adminOnly(listThrottles(), '/editor/security'), getSiteSettings()]);
  return (
    <>
      <h1 className="editor-title">Security</h1>
      <h2>Sign-in throttles</h2>
      <p className="hint">
        An account from one address waits after five failures in a row (30 s, doubling to an hour); an address waits an hour after 100 failures in an hour; an
        account with more than 20 failures in an hour is only slowed, never locked: its owner with the right password from an address with no wait still gets in.
        Locks and clears are in the audit log.
      </p>
      {items.length === 0 ? (
        <p className="empty">No failed sign-ins in the last day.</p>
      ) : (
        <ThrottleTable items={items} timeZone={site.timeZone} clearAction={clearThrottleAction} />
      )}
    </>
  );
}
