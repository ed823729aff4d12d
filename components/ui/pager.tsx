import Link from 'next/link';

/**
 * "← Newest" and "Older →" for keyset-paginated lists: plain links, so paging works without
 * JavaScript. Renders nothing when there is neither.
 */
export function Pager({
  newestHref,
  olderHref,
  olderLabel = 'Older',
}: {
  newestHref: string | null;
  olderHref: string | null;
  olderLabel?: string;
}) {
  if (!newestHref && !olderHref) return null;
  return (
    <nav className="pager" aria-label="Pagination">
      {newestHref ? <Link href={newestHref}>← Newest</Link> : <span />}
      {olderHref ? (
        <Link href={olderHref} rel="next">
          {olderLabel} →
        </Link>
      ) : null}
    </nav>
  );
}
