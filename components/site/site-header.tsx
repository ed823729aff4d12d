import Link from 'next/link';

/** Masthead with a search form that is a plain GET: it works with JavaScript off. */
export function SiteHeader({ title }: { title: string }) {
  return (
    <header className="site-header">
      <div className="wrap site-header-inner">
        <Link href="/" className="site-title">
          {title}
        </Link>
        <form action="/search" method="get" role="search" className="site-search">
          <label htmlFor="site-search-q" className="visually-hidden">
            Search articles
          </label>
          <input id="site-search-q" type="search" name="q" placeholder="Search…" maxLength={200} />
          <button type="submit">Search</button>
        </form>
      </div>
    </header>
  );
}
