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
} from './actions';

/** The post editor's server actions (components/editor/post-actions.tsx), for the pages that show it. */
export const postEditorActions = {
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
