import type { NavigationItem } from '@/lib/navigation/schemas';

/** Footer with the footer menu and the feeds, for people and for feed readers. */
export function SiteFooter({ title, menu = [] }: { title: string; menu?: NavigationItem[] }) {
  return (
    <footer className="site-footer">
      <div className="wrap">
        {menu.length > 0 ? (
          <nav aria-label="Footer" className="footer-nav">
            <ul>
              {menu.map((item, at) => (
                <li key={at}>
                  <a href={item.url}>{item.label}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <p>
          {title} · <a href="/feed.xml">RSS</a> · <a href="/atom.xml">Atom</a> · <a href="/feed.json">JSON Feed</a> ·{' '}
          <a href="/sitemap.xml">Sitemap</a>
        </p>
      </div>
    </footer>
  );
}
