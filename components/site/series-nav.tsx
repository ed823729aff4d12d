import Link from 'next/link';
import type { SeriesList } from '@/lib/posts/reading';

/**
 * An article's series: `intro`, one line under the header ("Part 2 of 4 in …"); `list`, after the
 * body, the numbered list of its published articles, oldest first, this one marked, with the
 * previous and next parts.
 */
export function SeriesNav({ series, position }: { series: SeriesList; position: 'intro' | 'list' }) {
  const index = series.items.findIndex((item) => item.current);
  if (position === 'intro') {
    return index < 0 ? null : (
      <p className="series-intro">
        Part {index + 1} of {series.items.length} in the series <a href="#series">{series.name}</a>
      </p>
    );
  }
  const previous = index > 0 ? series.items[index - 1] : null;
  const next = index >= 0 && index < series.items.length - 1 ? series.items[index + 1] : null;
  return (
    <nav className="series" id="series" aria-labelledby="series-heading">
      <h2 id="series-heading">
        <span className="eyebrow">Series</span> {series.name}
      </h2>
      <ol className="series-list">
        {series.items.map((item) =>
          item.current ? (
            <li key={item.slug} className="series-current">
              <span aria-current="page">{item.title}</span> <span className="series-here">(this article)</span>
            </li>
          ) : (
            <li key={item.slug}>
              <Link href={`/posts/${item.slug}`}>{item.title}</Link>
            </li>
          ),
        )}
      </ol>
      {previous || next ? (
        <p className="series-steps">
          {previous ? (
            <Link href={`/posts/${previous.slug}`} rel="prev" className="series-previous">
              ← Previous: {previous.title}
            </Link>
          ) : null}
          {next ? (
            <Link href={`/posts/${next.slug}`} rel="next" className="series-next">
              Next: {next.title} →
            </Link>
          ) : null}
        </p>
      ) : null}
    </nav>
  );
}
