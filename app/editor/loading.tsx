/** Shown while an editor page's data loads. */
export default function EditorLoading() {
  return (
    <p className="editor-loading" role="status">
      Loading…
    </p>
  );
}
