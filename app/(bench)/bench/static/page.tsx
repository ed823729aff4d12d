import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Static page', robots: { index: false, follow: false } };
export const dynamic = 'force-static';

/**
 * The benchmark's ceiling (`npm run bench`): a page with no data, prerendered at build and served
 * by the same server and the same layers as every reader page, so each page's throughput can be
 * read as a fraction of what this machine can serve at all.
 */
export default function StaticCeiling() {
  return (
    <main>
      <h1>Static page</h1>
      <p>This page has no data. The benchmark compares every other page with it.</p>
    </main>
  );
}
