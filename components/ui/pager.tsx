import Link from 'next/link';

/**
 * "← Newest" and "Older →" for keyset-paginated lists: plain links, so paging works without
 * JavaScript. Renders nothing when there is neither.
 *
 * `fullLoad`: the reader's lists, whose older pages (`?after=`) are rewritten on the server to
 * another route (next.config.js). The client-side router cannot know that a query string changes
 * the route, and would reuse the cached first page; a document load asks the server.
 */
export function Pager({
  newestHref,
  olderHref,
  olderLabel = 'Older',
  fullLoad = false,
}: {
  newestHref: string | null;
  olderHref: string | null;
  olderLabel?: string;
  fullLoad?: boolean;
}) {
  if (!newestHref && !olderHref) return null;
  const Anchor = fullLoad ? 'a' : Link;
  return (
    <nav className="pager" aria-label="Pagination">
      {newestHref ? <Anchor href={newestHref}>← Newest</Anchor> : <span />}
      {olderHref ? (
        <Anchor href={olderHref} rel="next">
          {olderLabel} →
        </Anchor>
      ) : null}
    </nav>
  );
}
