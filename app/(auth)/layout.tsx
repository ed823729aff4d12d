import Link from 'next/link';
import { getSiteSettings } from '@/lib/site/settings';

// Per request: never served from the page cache.
export const dynamic = 'force-dynamic';

/** Sign-in, first-run setup and invitations: a quiet page with only the site's name. */
export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  const site = await getSiteSettings();
  return (
    <main id="main" className="auth-page">
      <p className="auth-site">
        <Link href="/">{site.title}</Link>
      </p>
      <div className="auth-card">{children}</div>
    </main>
  );
}
