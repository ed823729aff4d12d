import type { Metadata } from 'next';
import { orNotFound } from '@/components/editor/guard';
import { PostEditor } from '@/components/editor/post-editor';
import { unbornEditorPost } from '@/lib/posts/new-draft';
import { getSiteSettings } from '@/lib/site/settings';
import {
  createPreviewLinkAction,
  deletePostAction,
  publishPostAction,
  renderPreviewAction,
  restorePostAction,
  revokePreviewLinkAction,
  savePostAction,
  schedulePostAction,
  submitPostAction,
  trashPostAction,
  unpublishPostAction,
} from '../[id]/actions';
import { createDraftAction } from './actions';

const actions = {
  create: createDraftAction,
  save: savePostAction,
  submit: submitPostAction,
  publish: publishPostAction,
  schedule: schedulePostAction,
  unpublish: unpublishPostAction,
  trash: trashPostAction,
  restore: restorePostAction,
  delete: deletePostAction,
  createPreviewLink: createPreviewLinkAction,
  revokePreviewLink: revokePreviewLinkAction,
  renderPreview: renderPreviewAction,
};

export const metadata: Metadata = { title: 'New post' };

/** The editor, at once: the draft is created on the first keystroke, then the address becomes /editor/posts/<id>. */
export default async function NewPostPage() {
  const [post, site] = await Promise.all([orNotFound(unbornEditorPost('post'), '/editor/posts/new'), getSiteSettings()]);
  return <PostEditor post={post} timeZone={site.timeZone} siteUrl={site.url} newsletter={null} actions={actions} />;
}
