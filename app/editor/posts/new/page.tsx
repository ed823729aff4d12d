import type { Metadata } from 'next';
import { orNotFound } from '@/components/editor/guard';
import { PostEditor } from '@/components/editor/post-editor';
import { unbornEditorPost } from '@/lib/posts/new-draft';
import { getSiteSettings } from '@/lib/site/settings';
import { postEditorActions } from '../[id]/editor-actions';
import { createDraftAction } from './actions';

const actions = { ...postEditorActions, create: createDraftAction };

export const metadata: Metadata = { title: 'New post' };

/** The editor, at once: the draft is created on the first keystroke, then the address becomes /editor/posts/<id>. */
export default async function NewPostPage() {
  const [post, site] = await Promise.all([orNotFound(unbornEditorPost('post'), '/editor/posts/new'), getSiteSettings()]);
  return <PostEditor post={post} timeZone={site.timeZone} siteUrl={site.url} newsletter={null} actions={actions} />;
}
