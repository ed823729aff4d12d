import { getSiteSettings } from '@/lib/site/settings';

// Per request: never served from the page cache.
export const dynamic = 'force-dynamic';

/** Sign-in, first-run setup and invitations: a quiet page with only the site's name. */
export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  const site = await getSiteSettings();
  return (
    <main id="main" className="auth-page">
      <p className="auth-site">
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- the site's pages are served whole and without scripts: <Link> would prefetch them and load them through the client router (scripts/next-patches.mjs) */}
        <a href="/">{site.title}</a>
      </p>
      <div className="auth-card">{children}</div>
    </main>
  );
}
