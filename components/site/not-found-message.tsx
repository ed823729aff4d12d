import Link from 'next/link';

/** The one 404 text: a draft's URL reads exactly like a slug that never existed. */
export function NotFoundMessage() {
  return (
    <div className="not-found">
      <h1>Page not found</h1>
      <p>There is nothing here. It may have moved, or it never existed.</p>
      <p>
        <Link href="/">Back to the latest posts</Link>
      </p>
    </div>
  );
}
