import type { Metadata } from 'next';
import { getSiteSettings } from '@/lib/site/settings';

export const metadata: Metadata = { title: 'Dynamic page', robots: { index: false, follow: false } };
export const dynamic = 'force-dynamic';

/**
 * The benchmark's render floor (`npm run bench`): one small query and two lines of markup, rendered
 * by Next.js on every request and never cached. What any page costs here when nothing is cached, so
 * the renders of real pages (a cold article, a new search, the editor's list) can be read against it.
 */
export default async function RenderFloor() {
  const site = await getSiteSettings();
  return (
    <main>
      <h1>Dynamic page</h1>
      <p>{site.title}: one query, rendered on every request.</p>
    </main>
  );
}
