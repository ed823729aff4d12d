import { diffLines } from 'diff';

/** Lines only in `before` are struck out, lines only in `after` underlined; React escapes the text. */
export function LineDiff({ before, after }: { before: string; after: string }) {
  // Bounded, so a pathological pair of 1 MB bodies cannot hold the request.
  const changes = diffLines(before, after, { timeout: 2_000 });
  if (!changes) return <p className="empty">These versions are too different to compare line by line.</p>;
  if (changes.every((change) => !change.added && !change.removed)) return <p className="empty">The body is the same as the current version.</p>;
  return (
    <pre className="line-diff">
      {changes.map((change, index) =>
        change.added ? <ins key={index}>{change.value}</ins> : change.removed ? <del key={index}>{change.value}</del> : <span key={index}>{change.value}</span>,
      )}
    </pre>
  );
}
