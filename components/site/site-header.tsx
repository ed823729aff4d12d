import Link from 'next/link';
import type { NavigationItem } from '@/lib/navigation/schemas';
import { MenuList } from './menu-list';

/** Masthead with the primary menu and a search form that is a plain GET: it works with JavaScript off. */
export function SiteHeader({ title, menu = [] }: { title: string; menu?: NavigationItem[] }) {
  return (
    <header className="site-header">
      <div className="wrap site-header-inner">
        <Link href="/" className="site-title">
          {title}
        </Link>
        <MenuList label="Primary" className="site-nav" items={menu} />
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
