import { EditorView } from '@uiw/react-codemirror';
import { looksLikeImage, type UploadResult } from './media-upload';

export type Upload = (file: File) => Promise<UploadResult>;
type Report = (error: string | null) => void;

/** Square brackets would end the placeholder's alt text early. */
const placeholderFor = (file: File) => `![Uploading ${file.name.replace(/[[\]\\]/g, '')}…]()`;

/**
 * Uploads each file and puts its markdown where the writer asked. A placeholder holds the place
 * meanwhile; it is found again by its text, because the writer may keep typing during the upload.
 * Every change is an ordinary transaction, so onChange (autosave, preview) sees it like typing.
 */
export function insertImages(view: EditorView, files: File[], at: number, upload: Upload, report: Report): void {
  if (files.length === 0) return;
  report(null);
  const placeholders = files.map(placeholderFor);
  const line = view.state.doc.lineAt(at);
  // An image on a line of its own reads as a block in the rendered article.
  const before = at > line.from ? '\n\n' : '';
  const after = at < line.to ? '\n\n' : '';
  const insert = before + placeholders.join('\n\n') + after;
  view.dispatch({
    changes: { from: at, insert },
    selection: { anchor: at + before.length + placeholders.join('\n\n').length },
    scrollIntoView: true,
    userEvent: 'input.paste',
  });
  view.focus();
  const errors: string[] = [];
  files.forEach(async (file, i) => {
    const result = await upload(file);
    if (view.dom.isConnected) {
      const text = view.state.doc.toString();
      const whole = before + placeholders[i] + after;
      // A single failed upload takes the blank lines it added with it, where they are still intact.
      const exact = !result.ok && files.length === 1 ? text.indexOf(whole) : -1;
      const from = exact >= 0 ? exact : text.indexOf(placeholders[i]);
      if (from >= 0) {
        let start = from;
        let end = from + (exact >= 0 ? whole.length : placeholders[i].length);
        if (!result.ok && exact < 0) {
          // Otherwise a removed placeholder takes one separating blank line with it.
          if (text.slice(end, end + 2) === '\n\n') end += 2;
          else if (text.slice(start - 2, start) === '\n\n') start -= 2;
        }
        view.dispatch({ changes: { from: start, to: end, insert: result.ok ? result.markdown : '' }, userEvent: 'input' });
      }
    }
    if (!result.ok) {
      errors.push(result.error);
      report(errors.join(' '));
    }
  });
}

/** The image files among pasted or dropped files; empty means "not ours, let CodeMirror handle it". */
export function imageFiles(data: DataTransfer | null): File[] {
  const files = data ? Array.from(data.files) : [];
  return files.some(looksLikeImage) ? files : [];
}

/** Where a drop lands in the text; below the last line (posAtCoords would pick a spot in its last row) is the end. */
export function dropPosition(view: EditorView, event: { clientX: number; clientY: number }): number {
  if (event.clientY > view.documentTop + view.lineBlockAt(view.state.doc.length).bottom) return view.state.doc.length;
  return view.posAtCoords({ x: event.clientX, y: event.clientY }) ?? view.state.selection.main.head;
}

/** Paste and drop of image files upload them; text paste and text drag stay CodeMirror's own. */
export function imageUploadHandlers(upload: Upload, report: Report) {
  return EditorView.domEventHandlers({
    paste(event, view) {
      if (view.state.readOnly) return false;
      const files = imageFiles(event.clipboardData);
      if (files.length === 0) return false;
      event.preventDefault();
      insertImages(view, files, view.state.selection.main.head, upload, report);
      return true;
    },
    dragover(event, view) {
      // Without this the browser would open a dropped image file in place of the editor.
      if (view.state.readOnly || !event.dataTransfer?.types.includes('Files')) return false;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      return false;
    },
    drop(event, view) {
      if (view.state.readOnly) return false;
      const files = imageFiles(event.dataTransfer);
      if (files.length === 0) return false;
      event.preventDefault();
      insertImages(view, files, dropPosition(view, event), upload, report);
      return true;
    },
  });
}
