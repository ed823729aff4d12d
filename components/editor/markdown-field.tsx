'use client';

import { markdown } from '@codemirror/lang-markdown';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useMemo, useSyncExternalStore } from 'react';

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
};

/** The markdown body in CodeMirror: line wrapping, the basic setup, a labelled text box for screen readers. */
export function MarkdownField({ id, value, onChange, readOnly = false, describedBy, invalid = false }: Props) {
  const dark = usePrefersDark();
  const extensions = useMemo(
    () => [
      markdown(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({
        id,
        'aria-labelledby': `${id}-label`,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(invalid ? { 'aria-invalid': 'true' } : {}),
        'aria-multiline': 'true',
      }),
    ],
    [id, describedBy, invalid],
  );
  return (
    <div className="markdown-field">
      <CodeMirror
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
  );
}
