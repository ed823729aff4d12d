import Link from 'next/link';
import { SiteFooter } from '@/components/site/site-footer';
import { SiteHeader } from '@/components/site/site-header';
import { getSiteSettings } from '@/lib/site/settings';

/** One 404 for everything unknown or not public: a draft's URL looks exactly like a slug that never existed. */
export default async function NotFound() {
  const site = await getSiteSettings();
  return (
    <>
      <SiteHeader title={site.title} />
      <main id="main" className="wrap not-found">
        <h1>Page not found</h1>
        <p>There is nothing here. It may have moved, or it never existed.</p>
        <p>
          <Link href="/">Back to the latest posts</Link>
        </p>
      </main>
      <SiteFooter title={site.title} />
    </>
  );
}
