'use client';

/** An unexpected failure in an editor page: say so plainly and offer a retry (nothing internal is shown). */
export default function EditorError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="editor-narrow" role="alert">
      <h1 className="editor-title">Something went wrong</h1>
      <p>The page could not be loaded. Unsaved changes to a post are kept in this browser and will be offered back when you open it again.</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
