import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { orNotFound } from '@/components/editor/guard';
import { PostEditor } from '@/components/editor/post-editor';
import { getNewsletterSummary } from '@/lib/newsletters/queries';
import { getEditorPost } from '@/lib/posts/editor-queries';
import { getSiteSettings } from '@/lib/site/settings';
import { postEditorActions as actions } from './editor-actions';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Edit post' };

/** One post in the editor, if the viewer may see it (otherwise the same 404 as a post that never existed). */
export default async function EditPostPage({ params }: Props) {
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const callbackUrl = `/editor/posts/${id.data}`;
  const [post, newsletter, site] = await Promise.all([
    orNotFound(getEditorPost(id.data), callbackUrl),
    orNotFound(getNewsletterSummary(id.data), callbackUrl),
    getSiteSettings(),
  ]);
  return <PostEditor key={post.id} post={post} timeZone={site.timeZone} siteUrl={site.url} newsletter={newsletter} actions={actions} />;
}
