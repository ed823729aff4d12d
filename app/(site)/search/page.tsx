import type { Metadata } from 'next';
import Link from 'next/link';
import { bylineText, formatDate, readingTimeLabel } from '@/lib/format';
import { searchParamsSchema, searchPublicPosts } from '@/lib/posts/search';
import { getSiteSettings } from '@/lib/site/settings';

// Per request: never served from the page cache.
export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Search', robots: { index: false, follow: true } };

/** Full-text search over public posts, ranked, with highlighted snippets and pages. */
export default async function SearchPage({ searchParams }: Props) {
  const { q, page } = searchParamsSchema.parse(await searchParams);
  const [site, result] = await Promise.all([getSiteSettings(), searchPublicPosts(q, page)]);
  const pageLink = (n: number) => `/search?${new URLSearchParams({ q, page: String(n) })}`;
  return (
    <>
      <header className="list-header">
        <h1 className="page-title">{q ? `Results for “${q}”` : 'Search'}</h1>
        <form action="/search" method="get" role="search" className="search-form">
          <label htmlFor="search-q">Search articles</label>
          <input id="search-q" type="search" name="q" defaultValue={q} maxLength={200} />
          <button type="submit">Search</button>
        </form>
      </header>
      {q && result.hits.length === 0 ? <p className="empty">No articles match “{q}”.</p> : null}
      <ol className="search-results" start={(page - 1) * 10 + 1}>
        {result.hits.map((hit) => (
          <li key={hit.slug} className="search-hit">
            <h2>
              <Link href={`/posts/${hit.slug}`}>{hit.title}</Link>
            </h2>
            <p className="snippet">{hit.snippet.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}</p>
            <p className="byline">
              {bylineText(hit.authors.map((author) => author.name))} · <time dateTime={hit.publishAt.toISOString()}>{formatDate(hit.publishAt, site.timeZone)}</time>{' '}
              · {readingTimeLabel(hit.readingMinutes)}
            </p>
          </li>
        ))}
      </ol>
      {page > 1 || result.hasNext ? (
        <nav className="pager" aria-label="Pagination">
          {page > 1 ? <Link href={pageLink(page - 1)}>← Previous</Link> : <span />}
          {result.hasNext ? (
            <Link href={pageLink(page + 1)} rel="next">
              Next →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
