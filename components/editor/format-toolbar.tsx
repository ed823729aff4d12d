'use client';

import type { EditorView } from '@uiw/react-codemirror';
import type { RefObject } from 'react';
import { formats } from './format-commands';
import { MediaPicker } from './media-picker';

type Props = { view: RefObject<EditorView | null>; onImages?: (files: File[]) => void; mediaHintId: string };

/**
 * Formatting buttons over the body. Pressing one keeps the caret in the text (mousedown does not
 * take the focus), so the writer carries on typing; each has its shortcut in aria-keyshortcuts and
 * the tooltip. It scrolls sideways on a narrow screen rather than widening the page.
 */
export function FormatToolbar({ view, onImages, mediaHintId }: Props) {
  return (
    <div className="format-toolbar" role="group" aria-label="Formatting">
      {formats.map(({ name, aria, run }) => (
        <button
          key={name}
          type="button"
          className="format-button"
          aria-keyshortcuts={aria}
          title={`${name} (${aria.split(' ')[0].replace('Control', 'Ctrl')})`}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            if (view.current) run(view.current);
          }}
        >
          {name}
        </button>
      ))}
      {onImages ? <MediaPicker label="Insert image" onFiles={onImages} multiple describedBy={mediaHintId} className="format-button" /> : null}
    </div>
  );
}
