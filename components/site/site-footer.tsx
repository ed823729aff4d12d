/** Footer with the feeds, for people and for feed readers. */
export function SiteFooter({ title }: { title: string }) {
  return (
    <footer className="site-footer">
      <div className="wrap">
        <p>
          {title} · <a href="/feed.xml">RSS</a> · <a href="/atom.xml">Atom</a> · <a href="/feed.json">JSON Feed</a> ·{' '}
          <a href="/sitemap.xml">Sitemap</a>
        </p>
      </div>
    </footer>
  );
}
