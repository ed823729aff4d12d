import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { orNotFound } from '@/components/editor/guard';
import { PostEditor } from '@/components/editor/post-editor';
import { getEditorPost } from '@/lib/posts/editor-queries';
import { getSiteSettings } from '@/lib/site/settings';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Edit post' };

/** One post in the editor, if the viewer may see it (otherwise the same 404 as a post that never existed). */
export default async function EditPostPage({ params }: Props) {
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const [post, site] = await Promise.all([orNotFound(getEditorPost(id.data), `/editor/posts/${id.data}`), getSiteSettings()]);
  return <PostEditor key={post.id} post={post} timeZone={site.timeZone} siteUrl={site.url} />;
}
