import type { NavigationItem } from '@/lib/navigation/schemas';
import { MenuList } from './menu-list';

/** Footer with the footer menu and the feeds, for people and for feed readers. */
export function SiteFooter({ title, menu = [] }: { title: string; menu?: NavigationItem[] }) {
  return (
    <footer className="site-footer">
      <div className="wrap">
        <MenuList label="Footer" className="footer-nav" items={menu} />
        <p>
          {title} · <a href="/feed.xml">RSS</a> · <a href="/atom.xml">Atom</a> · <a href="/feed.json">JSON Feed</a> · <a href="/sitemap.xml">Sitemap</a>
        </p>
      </div>
    </footer>
  );
}
