import type { NavigationItem } from '@/lib/navigation/schemas';

/** One of the site's menus as a labelled list of plain links (no script: reader pages ship none). */
export function MenuList({ label, className, items }: { label: string; className: string; items: NavigationItem[] }) {
  if (items.length === 0) return null;
  return (
    <nav aria-label={label} className={className}>
      <ul>
        {items.map((item, at) => (
          <li key={at}>
            <a href={item.url}>{item.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
