import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { NavLink } from '@/components/editor/nav-link';
import { SignOutButton } from '@/components/editor/sign-out-button';
import { TwoFactorGate } from '@/components/admin/two-factor-gate';
import { getViewerAccess } from '@/lib/auth/viewer';
import { canEditNavigation } from '@/lib/navigation/policy';
import { canWorkOn } from '@/lib/posts/policy';
import { canManageMembers } from '@/lib/members/policy';
import { canManageRedirects } from '@/lib/redirects/policy';
import { canManageWebhooks } from '@/lib/webhooks/policy';
import { hasCapability } from '@/lib/users/policy';
import './editor.css';

// Per request: never served from the page cache.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: { default: 'Editor', template: '%s — Editor' }, robots: { index: false } };

/** The signed-in chrome. The redirect is a courtesy; every read and write in lib/ checks again. */
export default async function EditorLayout({ children }: { children: React.ReactNode }) {
  const access = await getViewerAccess();
  if (!access) redirect('/login?callbackUrl=/editor');
  const { viewer } = access;
  // Someone the site requires to set up two-factor sign-in sees their account page only. The tree
  // keeps its shape either way, so the account page's state (the recovery codes just shown) survives
  // the re-render that follows turning it on.
  const setUpFirst = access.mustSetUpTwoFactor;
  const can = (capability: Parameters<typeof hasCapability>[1]) => hasCapability(viewer.role, capability);
  return (
    <div className="editor-app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="editor-header">
        <Link href="/editor" className="editor-brand">
          Broadsheet editor
        </Link>
        <nav aria-label="Editor" className="editor-nav">
          <ul>
            {setUpFirst ? (
              <li>
                <NavLink href="/editor/account">Account</NavLink>
              </li>
            ) : (
              <>
                <li>
                  <NavLink href="/editor" also={['/editor/posts/']}>
                    Posts
                  </NavLink>
                </li>
                <li>
                  <Link href="/editor/posts/new">New post</Link>
                </li>
                {canWorkOn(viewer.role, 'page') ? (
                  <li>
                    <NavLink href="/editor/pages">Pages</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink href="/editor/media">Media</NavLink>
                </li>
                {can('manageTags') ? (
                  <li>
                    <NavLink href="/editor/tags">Tags</NavLink>
                  </li>
                ) : null}
                {can('manageUsers') || can('inviteUsers') ? (
                  <li>
                    <NavLink href="/editor/users">Users</NavLink>
                  </li>
                ) : null}
                {canManageMembers(viewer.role) ? (
                  <li>
                    <NavLink href="/editor/members">Members</NavLink>
                  </li>
                ) : null}
                {canEditNavigation(viewer.role) ? (
                  <li>
                    <NavLink href="/editor/navigation">Navigation</NavLink>
                  </li>
                ) : null}
                {can('manageSettings') ? (
                  <li>
                    <NavLink href="/editor/settings">Settings</NavLink>
                  </li>
                ) : null}
                {canManageRedirects(viewer.role) ? (
                  <li>
                    <NavLink href="/editor/redirects">Redirects</NavLink>
                  </li>
                ) : null}
                {canManageWebhooks(viewer.role) ? (
                  <li>
                    <NavLink href="/editor/integrations">Integrations</NavLink>
                  </li>
                ) : null}
                {can('importContent') ? (
                  <li>
                    <NavLink href="/editor/import">Import</NavLink>
                  </li>
                ) : null}
                {can('viewAudit') ? (
                  <li>
                    <NavLink href="/editor/audit">Audit log</NavLink>
                  </li>
                ) : null}
                {can('manageUsers') ? (
                  <li>
                    <NavLink href="/editor/security">Security</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink href="/editor/account">Account</NavLink>
                </li>
                <li>
                  {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- the site's pages are served whole and without scripts: <Link> would prefetch them and load them through the client router (scripts/next-patches.mjs) */}
                  <a href="/">View site</a>
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="editor-viewer">
          <span>
            {viewer.name} <span className="role-badge">{viewer.role}</span>
          </span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" className="editor-main">
        <TwoFactorGate active={setUpFirst}>{children}</TwoFactorGate>
      </main>
    </div>
  );
}
