import { NoScripts } from '@/components/site/no-scripts';
import { SiteFooter } from '@/components/site/site-footer';
import { SiteHeader } from '@/components/site/site-header';
import { listNavigation } from '@/lib/navigation/queries';
import { getSiteSettings } from '@/lib/site/settings';

/** The reader's chrome: skip link, masthead with menu and search, main landmark, footer with menu and feeds. */
export default async function SiteLayout({ children }: { children: React.ReactNode }) {
  const [site, menus] = await Promise.all([getSiteSettings(), listNavigation()]);
  return (
    <>
      {/* Reader pages have no client components: the server sends them without scripts. */}
      <NoScripts />
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <SiteHeader title={site.title} menu={menus.primary} />
      <main id="main" className="wrap">
        {children}
      </main>
      <SiteFooter title={site.title} menu={menus.footer} />
    </>
  );
}
