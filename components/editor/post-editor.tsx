'use client';

import Link from 'next/link';
import { useCallback, useState } from 'react';
import type { NewsletterSummary } from '@/lib/newsletters/queries';
import type { EditorPost } from '@/lib/posts/editor-queries';
import { ActionError } from './action-error';
import { ConflictView } from './conflict-view';
import { LivePreview } from './live-preview';
import { MarkdownField } from './markdown-field';
import { uploadImage } from './media-upload';
import { NewsletterPanel } from './newsletter-panel';
import { PostActionsProvider, type PostActions } from './post-actions';
import { PostFieldsForm } from './post-fields';
import { PreviewLinkPanel } from './preview-link-panel';
import { PublishPanel } from './publish-panel';
import { RecoverBanner } from './recover-banner';
import { SaveIndicator } from './save-indicator';
import { useAutosave, useRecovery } from './use-autosave';
import { usePostSync } from './use-post-sync';

type Props = { post: EditorPost; timeZone: string; siteUrl: string; newsletter?: NewsletterSummary | null; actions: PostActions };

/**
 * The post editor: fields and markdown on the left, publishing and a live preview on the right.
 * Saves itself; keeps a copy in this browser until the server has it; never overwrites a newer
 * version without asking.
 */
export function PostEditor({ actions, ...props }: Props) {
  // One set for the editor's life: a re-render of the page after a save must not restart effects.
  const [stable] = useState(actions);
  return (
    <PostActionsProvider actions={stable}>
      <Editor {...props} />
    </PostActionsProvider>
  );
}

function Editor({ post: fromServer, timeZone, siteUrl, newsletter = null }: Omit<Props, 'actions'>) {
  // The server re-renders this page after every save; the first copy is the one the form started from.
  const [initial] = useState(fromServer);
  const sync = usePostSync(initial);
  const { post, fields, slugFollows, saveState, saveError, conflict, edit } = sync;
  const { recovery, restore, discard } = useRecovery(initial, sync);
  useAutosave(sync);

  const callbackUrl = `/editor/posts/${post.id}`;
  const noun = post.kind === 'page' ? 'page' : 'post';
  const editable = post.can.edit;
  const markdownError = saveError?.field === 'markdown' ? saveError : null;
  const onMarkdown = useCallback((markdown: string) => edit({ markdown }), [edit]);
  const uploadForPost = useCallback((file: File) => uploadImage(file, { postId: post.id }), [post.id]);

  return (
    <div className="post-editor">
      <div className="editor-toolbar">
        <h1 className="editor-title">{fields.title ? fields.title : `Untitled ${noun}`}</h1>
        <div className="toolbar-actions">
          <SaveIndicator state={saveState} />
          {editable ? (
            <button type="button" className="button" onClick={() => void sync.save(false)} disabled={conflict !== null} aria-keyshortcuts="Control+S Meta+S">
              Save
            </button>
          ) : null}
          <Link href={`/editor/posts/${post.id}/revisions`}>Revisions</Link>
        </div>
      </div>
      {saveError && !markdownError ? <ActionError failure={saveError} callbackUrl={callbackUrl} /> : null}
      {recovery ? <RecoverBanner draft={recovery} timeZone={timeZone} onRestore={restore} onDiscard={discard} /> : null}
      {conflict ? (
        <ConflictView
          theirs={conflict}
          mine={slugFollows ? { ...fields, slug: '' } : fields}
          timeZone={timeZone}
          onKeepMine={() => void sync.keepMine()}
          onTakeTheirs={sync.takeTheirs}
        />
      ) : null}
      {!editable ? (
        <p className="banner" role="note">
          {post.status === 'trash' ? `This ${noun} is in the trash. Restore it to edit it.` : `You cannot change this ${noun} in its current state.`}
        </p>
      ) : null}
      <div className="editor-grid">
        <form className="editor-form" aria-label={post.kind === 'page' ? 'Page' : 'Post'} onSubmit={(event) => event.preventDefault()}>
          <fieldset disabled={!editable}>
            <legend className="visually-hidden">{post.kind === 'page' ? 'Page fields' : 'Post fields'}</legend>
            <PostFieldsForm
              kind={post.kind}
              fields={fields}
              slugFollows={slugFollows}
              everPublished={post.firstPublishedAt !== null}
              currentSlug={post.slug}
              postId={post.id}
              onEdit={edit}
              error={saveError}
            />
            <div className="field">
              <span className="label" id="post-markdown-label">
                Body (markdown)
              </span>
              <MarkdownField
                id="post-markdown"
                value={fields.markdown}
                onChange={onMarkdown}
                readOnly={!editable}
                upload={uploadForPost}
                invalid={markdownError !== null}
                describedBy={markdownError ? 'post-markdown-error' : 'post-markdown-hint'}
              />
              <p className="hint" id="post-markdown-hint">
                Saved 2 seconds after you stop typing; Ctrl+S (⌘S) saves now. Tab leaves the editor.
              </p>
              {markdownError ? (
                <p className="field-error" id="post-markdown-error">
                  {markdownError.error}
                </p>
              ) : null}
            </div>
          </fieldset>
        </form>
        <aside className="editor-side" aria-label="Publishing and preview">
          <PublishPanel sync={sync} timeZone={timeZone} callbackUrl={callbackUrl} />
          <NewsletterPanel sync={sync} newsletter={newsletter} timeZone={timeZone} />
          {post.can.preview ? <PreviewLinkPanel postId={post.id} initialToken={post.previewToken} siteUrl={siteUrl} callbackUrl={callbackUrl} /> : null}
          <LivePreview markdown={fields.markdown} readTimeOverride={fields.readTimeOverride} callbackUrl={callbackUrl} />
        </aside>
      </div>
    </div>
  );
}
