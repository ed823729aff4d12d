import type { Metadata } from 'next';
import { NoScripts } from '@/components/site/no-scripts';
import { NotFoundMessage } from '@/components/site/not-found-message';
import { SiteFooter } from '@/components/site/site-footer';
import { SiteHeader } from '@/components/site/site-header';
import { getSiteSettings } from '@/lib/site/settings';

export const metadata: Metadata = { title: 'Page not found', robots: { index: false } };

/** A URL that matches no route: the same message, with the site's chrome around it. */
export default async function NotFound() {
  const site = await getSiteSettings();
  return (
    <>
      <NoScripts />
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <SiteHeader title={site.title} />
      <main id="main" className="wrap">
        <NotFoundMessage />
      </main>
      <SiteFooter title={site.title} />
    </>
  );
}
