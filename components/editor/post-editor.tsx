'use client';

import Link from 'next/link';
import { useCallback, useRef, useState } from 'react';
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
import { PostHeadingFields } from './post-heading-fields';
import { PreviewLinkPanel } from './preview-link-panel';
import { PublishPanel } from './publish-panel';
import { RecoverBanner } from './recover-banner';
import { SaveIndicator } from './save-indicator';
import { SettingsPanel } from './settings-panel';
import { useAutosave, useRecovery } from './use-autosave';
import { useEditorView } from './use-editor-view';
import { usePostSync } from './use-post-sync';
import { useScrollFollow } from './use-scroll-follow';
import { WritingStats } from './writing-stats';

type Props = { post: EditorPost; timeZone: string; siteUrl: string; newsletter?: NewsletterSummary | null; actions: PostActions };

/**
 * The post editor: the title, subtitle and body fill the page; everything else is in a settings
 * panel beside it; a split view puts the live preview next to the text, and focus mode shows only
 * the text. Saves itself; keeps a copy in this browser until the server has it; never overwrites a
 * newer version without asking. A post not written yet (an empty id, at /editor/posts/new) becomes
 * a draft on the first keystroke, and the address becomes the draft's own.
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

/** The new draft's own address, without a navigation: the editor and what is being typed stay as they are. */
function showDraftAddress(post: EditorPost) {
  window.history.replaceState(null, '', `/editor/posts/${post.id}`);
}

function Editor({ post: fromServer, timeZone, siteUrl, newsletter = null }: Omit<Props, 'actions'>) {
  // The server re-renders this page after every save; the first copy is the one the form started from.
  const [initial] = useState(fromServer);
  const sync = usePostSync(initial, showDraftAddress);
  const { post, fields, slugFollows, saveState, saveError, conflict, edit, ensureCreated } = sync;
  const { recovery, restore, discard } = useRecovery(initial, sync);
  useAutosave(sync);
  const { settings, split, focus, openSettings, toggleSplit, toggleFocus, settingsToggle, focusToggle } = useEditorView(post.id);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const previewScroll = useRef<HTMLDivElement>(null);
  useScrollFollow(scroller, previewScroll, split);

  const born = post.id !== '';
  const callbackUrl = born ? `/editor/posts/${post.id}` : '/editor/posts/new';
  const noun = post.kind === 'page' ? 'page' : 'post';
  const Noun = post.kind === 'page' ? 'Page' : 'Post';
  const editable = post.can.edit;
  const markdownError = saveError?.field === 'markdown' ? saveError : null;
  const onMarkdown = useCallback((markdown: string) => edit({ markdown }), [edit]);
  // An image inserted before anything was typed: its placeholder is the first edit, which creates the draft.
  const uploadForPost = useCallback(
    async (file: File) => {
      const id = await ensureCreated();
      return uploadImage(file, id ? { postId: id } : {});
    },
    [ensureCreated],
  );
  const classes = focus ? 'post-editor is-focus' : ['post-editor', split ? 'is-split' : '', settings ? 'has-settings' : ''].filter(Boolean).join(' ');

  return (
    <div className={classes}>
      <div className="editor-bar">
        <h1 className="editor-bar-title">{fields.title ? fields.title : `Untitled ${noun}`}</h1>
        <SaveIndicator state={saveState} />
        <WritingStats markdown={fields.markdown} readTimeOverride={fields.readTimeOverride} />
        <div className="editor-bar-actions">
          {focus ? null : (
            <>
              {editable ? (
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => void sync.save(false)}
                  disabled={conflict !== null}
                  aria-keyshortcuts="Control+S Meta+S"
                >
                  Save
                </button>
              ) : null}
              <button type="button" className="button-secondary" aria-pressed={split} onClick={toggleSplit}>
                Split preview
              </button>
            </>
          )}
          <button
            type="button"
            className="button-secondary"
            ref={focusToggle}
            aria-pressed={focus}
            aria-keyshortcuts="Control+Shift+F Meta+Shift+F Escape"
            onClick={toggleFocus}
          >
            {focus ? 'Leave focus mode' : 'Focus'}
          </button>
          {focus ? null : (
            <button
              type="button"
              className="button"
              ref={settingsToggle}
              aria-expanded={settings}
              aria-controls="post-settings"
              onClick={() => openSettings(!settings)}
            >
              Settings
            </button>
          )}
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
      <div className="editor-workspace">
        <form className="editor-form" aria-label={Noun} onSubmit={(event) => event.preventDefault()}>
          <fieldset disabled={!editable}>
            <legend className="visually-hidden">{`${Noun} text`}</legend>
            <PostHeadingFields fields={fields} onEdit={edit} error={saveError} isPage={post.kind === 'page'} />
            <div className="field body-field">
              <span className="visually-hidden" id="post-markdown-label">
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
                onScroller={setScroller}
              />
              <p className="hint" id="post-markdown-hint">
                {born ? '' : 'The draft is created as soon as you type. '}Saved 2 seconds after you stop typing; Ctrl+S (⌘S) saves now. Tab leaves the text.
              </p>
              {markdownError ? (
                <p className="field-error" id="post-markdown-error">
                  {markdownError.error}
                </p>
              ) : null}
            </div>
          </fieldset>
        </form>
        {split && !focus ? <LivePreview markdown={fields.markdown} refreshKey={sync.post.version} callbackUrl={callbackUrl} scrollRef={previewScroll} /> : null}
        <SettingsPanel id="post-settings" title={`${Noun} settings`} open={settings && !focus} onClose={() => openSettings(false)}>
          {born ? (
            <PublishPanel sync={sync} timeZone={timeZone} callbackUrl={callbackUrl} />
          ) : (
            <p className="hint">Publishing, the preview link and revisions appear once the draft exists: start typing.</p>
          )}
          <fieldset disabled={!editable}>
            <legend className="visually-hidden">{`${Noun} details`}</legend>
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
          </fieldset>
          {born ? <NewsletterPanel sync={sync} newsletter={newsletter} timeZone={timeZone} /> : null}
          {born && post.can.preview ? <PreviewLinkPanel postId={post.id} initialToken={post.previewToken} siteUrl={siteUrl} callbackUrl={callbackUrl} /> : null}
          {born ? (
            <p>
              <Link href={`/editor/posts/${post.id}/revisions`}>Revisions</Link>
            </p>
          ) : null}
        </SettingsPanel>
      </div>
    </div>
  );
}
