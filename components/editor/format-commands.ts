import { EditorSelection, EditorView, Prec, keymap, type ChangeSpec } from '@uiw/react-codemirror';

/**
 * Markdown formatting for the body: each command is one CodeMirror transaction (userEvent
 * "input.format"), so the editor's own history undoes it like typing, and onChange (autosave,
 * preview) sees it like typing.
 */

export type FormatCommand = (view: EditorView) => boolean;

function dispatch(view: EditorView, spec: Parameters<EditorView['dispatch']>[0]): true {
  view.dispatch({ ...spec, scrollIntoView: true, userEvent: 'input.format' });
  view.focus();
  return true;
}

/** `**bold**`, `_italic_`, `` `code` ``: wraps each selection, or unwraps it when already wrapped; an empty selection gets a placeholder. */
export function wrapWith(marker: string, placeholder: string): FormatCommand {
  return (view) => {
    if (view.state.readOnly) return false;
    const { state } = view;
    return dispatch(
      view,
      state.changeByRange((range) => {
        const before = state.sliceDoc(range.from - marker.length, range.from);
        const after = state.sliceDoc(range.to, range.to + marker.length);
        if (!range.empty && before === marker && after === marker) {
          const changes = [
            { from: range.from - marker.length, to: range.from },
            { from: range.to, to: range.to + marker.length },
          ];
          return { changes, range: EditorSelection.range(range.from - marker.length, range.to - marker.length) };
        }
        const inner = range.empty ? placeholder : state.sliceDoc(range.from, range.to);
        const changes = { from: range.from, to: range.to, insert: marker + inner + marker };
        return { changes, range: EditorSelection.range(range.from + marker.length, range.from + marker.length + inner.length) };
      }),
    );
  };
}

/** `[text](https://)`: the address is selected, ready to be pasted over. */
export const link: FormatCommand = (view) => {
  if (view.state.readOnly) return false;
  const { state } = view;
  const address = 'https://';
  return dispatch(
    view,
    state.changeByRange((range) => {
      const text = range.empty ? 'link text' : state.sliceDoc(range.from, range.to);
      const insert = `[${text}](${address})`;
      const start = range.from + text.length + 3;
      return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.range(start, start + address.length) };
    }),
  );
};

/**
 * A prefix on every line the selection touches (`## `, `> `, `- `); when every such line already
 * has it, it is taken off. `replaces` is what the prefix takes the place of (another heading level).
 */
export function linePrefix(prefix: string, replaces?: RegExp): FormatCommand {
  return (view) => {
    if (view.state.readOnly) return false;
    const { state } = view;
    const lines = new Map<number, { from: number; text: string }>();
    for (const range of state.selection.ranges) {
      for (let pos = range.from; pos <= range.to;) {
        const line = state.doc.lineAt(pos);
        lines.set(line.number, { from: line.from, text: line.text });
        pos = line.to + 1;
      }
    }
    const all = [...lines.values()];
    const remove = all.every((line) => line.text.startsWith(prefix));
    const changes: ChangeSpec[] = all.map((line) => {
      if (remove) return { from: line.from, to: line.from + prefix.length };
      const existing = replaces?.exec(line.text)?.[0] ?? '';
      return { from: line.from, to: line.from + existing.length, insert: prefix };
    });
    return dispatch(view, { changes });
  };
}

/** A fenced block when the selection spans lines; inline code otherwise. */
export const code: FormatCommand = (view) => {
  const { state } = view;
  const range = state.selection.main;
  if (state.doc.lineAt(range.from).number === state.doc.lineAt(range.to).number) return wrapWith('`', 'code')(view);
  if (state.readOnly) return false;
  const from = state.doc.lineAt(range.from).from;
  const to = state.doc.lineAt(range.to).to;
  return dispatch(view, {
    changes: [
      { from, insert: '```\n' },
      { from: to, insert: '\n```' },
    ],
  });
};

export const bold = wrapWith('**', 'bold text');
export const italic = wrapWith('_', 'italic text');
export const heading = linePrefix('## ', /^#{1,6} /);
export const quote = linePrefix('> ');
export const list = linePrefix('- ', /^(?:[*+-]|\d{1,9}[.)]) /);

/** The toolbar's buttons, in order, with the keys that do the same (CodeMirror's names; Mod is Ctrl or ⌘). */
export const formats = [
  { name: 'Bold', key: 'Mod-b', aria: 'Control+B Meta+B', run: bold },
  { name: 'Italic', key: 'Mod-i', aria: 'Control+I Meta+I', run: italic },
  { name: 'Link', key: 'Mod-k', aria: 'Control+K Meta+K', run: link },
  { name: 'Heading', key: 'Mod-Alt-2', aria: 'Control+Alt+2 Meta+Alt+2', run: heading },
  { name: 'Quote', key: 'Mod-Shift-.', aria: 'Control+Shift+. Meta+Shift+.', run: quote },
  { name: 'List', key: 'Mod-Shift-8', aria: 'Control+Shift+8 Meta+Shift+8', run: list },
  { name: 'Code', key: 'Mod-e', aria: 'Control+E Meta+E', run: code },
] as const;

/** Ahead of CodeMirror's own bindings (Mod-i would otherwise select the parent syntax node). */
export const formatKeymap = Prec.high(keymap.of(formats.map(({ key, run }) => ({ key, run, preventDefault: true }))));
