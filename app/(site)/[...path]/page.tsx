import type { Metadata } from 'next';
import { notFound, permanentRedirect, redirect } from 'next/navigation';
import { normalizeRedirectPath, oldAddressOf } from '@/lib/redirects/paths';
import { findRedirect } from '@/lib/redirects/queries';

type Props = { params: Promise<{ path: string[] }> };

// Addresses no other route answers (an old site's /2024/01/25/slug, /category/news, /feed; and,
// through next.config.js's rewrites, /?p=123 and any address with a trailing slash). Each answer,
// redirect or 404, is cached like an article until a redirect changes (lib/cache).
export const revalidate = 3600;
export async function generateStaticParams(): Promise<{ path: string[] }[]> {
  return [];
}

// Only a 404 is ever shown here.
export const metadata: Metadata = { title: 'Page not found', robots: { index: false } };

/** Its redirect (one lookup), else a trailing-slash address's slash-less form, else the 404. */
export default async function OldAddressPage({ params }: Props) {
  const { address, trailingSlash } = oldAddressOf((await params).path);
  const target = await findRedirect(address);
  if (target?.status === 301) permanentRedirect(target.to);
  if (target) redirect(target.to);
  // Its normal form: one spelling, and never an address off this site (`//host`, `/\\host`).
  const canonical = trailingSlash ? normalizeRedirectPath(address) : null;
  if (canonical) permanentRedirect(canonical);
  notFound();
}
