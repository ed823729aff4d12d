import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getViewer } from '@/lib/auth/viewer';
import { canWorkOn } from '@/lib/posts/policy';
import { EditorListing } from '../listing';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Pages' };

/** The site's pages (About, Contact), for editors and admins; the 404 is a courtesy, the layer refuses anyone else. */
export default async function EditorPagesPage({ searchParams }: Props) {
  const viewer = await getViewer();
  if (viewer && !canWorkOn(viewer.role, 'page')) notFound();
  return <EditorListing kind="page" searchParams={await searchParams} />;
}
