import type { Metadata } from 'next';
import { NotFoundMessage } from '@/components/site/not-found-message';

// The reader's 404 page as a document of its own, at /_broadsheet/not-found (the folder's %5F is
// an underscore): lib/server/respond.ts sends it in place of the empty shell Next.js 16 answers
// notFound() with from a cached page, and proxy.ts rewrites dead preview links to it. Every other
// address is some route's now (app/(site)/[...path] answers the rest), so it cannot be an unmatched one.
export const revalidate = 3600;

export const metadata: Metadata = { title: 'Page not found', robots: { index: false } };

export default function NotFoundDocument() {
  return <NotFoundMessage />;
}
