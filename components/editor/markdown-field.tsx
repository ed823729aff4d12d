'use client';

import { markdown } from '@codemirror/lang-markdown';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { formatKeymap } from './format-commands';
import { FormatToolbar } from './format-toolbar';
import { dropPosition, imageFiles, imageUploadHandlers, insertImages, type Upload } from './media-insert';

const darkQuery = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void) {
  const media = window.matchMedia(darkQuery);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

/** Follows the system's light/dark setting, like the rest of the site. */
function usePrefersDark(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(darkQuery).matches,
    () => false,
  );
}

type Props = {
  id: string;
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  describedBy?: string;
  invalid?: boolean;
  /** Given, images can be inserted: a button, paste and drop; each is uploaded and its markdown inserted. */
  upload?: Upload;
  /** The scrolling element of the text, for the split view's scroll-following. */
  onScroller?: (scroller: HTMLElement | null) => void;
};

/** The markdown body in CodeMirror: a formatting toolbar and its shortcuts, line wrapping, the basic setup, a labelled text box for screen readers. */
export function MarkdownField({ id, value, onChange, readOnly = false, describedBy, invalid = false, upload, onScroller }: Props) {
  const dark = usePrefersDark();
  const view = useRef<EditorView | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const extensions = useMemo(
    () => [
      markdown(),
      formatKeymap,
      ...(upload ? [imageUploadHandlers(upload, setUploadError)] : []),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({
        id,
        'aria-labelledby': `${id}-label`,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(invalid ? { 'aria-invalid': 'true' } : {}),
        'aria-multiline': 'true',
      }),
    ],
    [id, describedBy, invalid, upload],
  );
  const insertChosen = (files: File[]) => {
    const current = view.current;
    if (current && upload) insertImages(current, files, current.state.selection.main.head, upload, setUploadError);
  };
  // The empty space below the text is not CodeMirror's content element, so its drop handler never
  // sees a drop there; without this the browser would open the image in place of the editor.
  const dropsHere = Boolean(upload) && !readOnly;
  const onDragOver = (event: React.DragEvent) => {
    if (dropsHere && !event.defaultPrevented && event.dataTransfer.types.includes('Files')) event.preventDefault();
  };
  const onDrop = (event: React.DragEvent) => {
    const current = view.current;
    if (!dropsHere || event.defaultPrevented || !current || !upload) return;
    const files = imageFiles(event.dataTransfer);
    if (files.length === 0) return;
    event.preventDefault();
    insertImages(current, files, dropPosition(current, event), upload, setUploadError);
  };
  return (
    <>
      {!readOnly ? <FormatToolbar view={view} onImages={upload ? insertChosen : undefined} mediaHintId={`${id}-media-hint`} /> : null}
      {uploadError ? (
        <p className="action-error" role="alert" data-testid="media-upload-error">
          {uploadError}
        </p>
      ) : null}
      <div className="markdown-field" onDragOver={onDragOver} onDrop={onDrop}>
        <CodeMirror
          onCreateEditor={(created) => {
            view.current = created;
            onScroller?.(created.scrollDOM);
          }}
          value={value}
          onChange={onChange}
          extensions={extensions}
          theme={dark ? 'dark' : 'light'}
          basicSetup={{ foldGutter: false, highlightActiveLine: false }}
          // Tab leaves the editor, so keyboard users are never trapped; Mod-] and Mod-[ still indent.
          indentWithTab={false}
          editable={!readOnly}
          readOnly={readOnly}
          minHeight="24rem"
        />
      </div>
      {upload && !readOnly ? (
        <p className="hint" id={`${id}-media-hint`}>
          Images: the Insert image button, or paste or drop them into the text. JPEG, PNG, WebP, AVIF or GIF, up to 20 MB.
        </p>
      ) : null}
    </>
  );
}
