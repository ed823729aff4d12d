import type { Metadata } from 'next';
import { EditorListing } from './listing';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Posts' };

/** The posts the viewer may see, by status, searchable, newest change first. */
export default async function EditorPostsPage({ searchParams }: Props) {
  return <EditorListing kind="post" searchParams={await searchParams} />;
}
