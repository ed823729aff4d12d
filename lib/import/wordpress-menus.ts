/**
 * WordPress menus (nav_menu terms and nav_menu_item posts) as our two menus, resolved once the
 * whole export is read: an item's label may be its target's title, and the target may come later.
 */
import type { SourceEntry, SourceNavItem, SourceNavTarget, SourceTag } from './types';

export type RawNavItem = {
  sourceId: string;
  line: number;
  title: string;
  menuOrder: number;
  menu: string | null;
  meta: Map<string, string>;
};

/** A menu named like "footer" is the footer; the first other one is primary; any further one is skipped. */
export function buildNavigation(
  items: RawNavItem[],
  menus: { slug: string; name: string }[],
  entries: SourceEntry[],
  tags: SourceTag[],
  tagIds: Set<string>,
  warnings: string[],
): SourceNavItem[] {
  const used = menus.filter((m) => items.some((i) => i.menu === m.slug));
  const placeOf = new Map<string, 'primary' | 'footer'>();
  for (const m of used) {
    const isFooter = /footer/i.test(m.slug) || /footer/i.test(m.name);
    const place = isFooter ? 'footer' : 'primary';
    if ([...placeOf.values()].includes(place)) {
      warnings.push(`menu "${m.name}" skipped: only one ${place} menu is imported`);
    } else placeOf.set(m.slug, place);
  }
  const entryById = new Map(entries.map((e) => [e.sourceId, e]));
  const tagBySourceId = new Map(tags.map((t) => [t.sourceId, t]));
  const nav: SourceNavItem[] = [];
  for (const item of items) {
    if (item.menu === null) {
      warnings.push(`menu item ${item.sourceId} belongs to no menu: skipped`);
      continue;
    }
    const menu = placeOf.get(item.menu);
    if (!menu) continue;
    const type = item.meta.get('_menu_item_type') ?? '';
    const object = item.meta.get('_menu_item_object') ?? '';
    const objectId = item.meta.get('_menu_item_object_id') ?? '';
    const url = item.meta.get('_menu_item_url') ?? '';
    let target: SourceNavTarget | null = null;
    let fallbackLabel = '';
    if (type === 'post_type') {
      const entry = entryById.get(objectId);
      if (entry) {
        target = { type: 'entry', sourceId: objectId };
        fallbackLabel = entry.title;
      }
    } else if (type === 'taxonomy' && (object === 'category' || object === 'post_tag')) {
      const sourceId = `${object === 'category' ? 'category' : 'tag'}:${objectId}`;
      if (tagIds.has(sourceId)) {
        target = { type: 'tag', sourceId };
        fallbackLabel = tagBySourceId.get(sourceId)?.name ?? '';
      }
    } else if (url) {
      target = { type: 'url', url };
      fallbackLabel = url;
    }
    if (!target) {
      warnings.push(`menu item ${item.sourceId} points to ${object || type || 'nothing'} ${objectId} that is not in the export: skipped`);
      continue;
    }
    nav.push({ sourceId: item.sourceId, menu, label: item.title || fallbackLabel, target, position: item.menuOrder });
  }
  return nav.sort((a, b) => (a.menu === b.menu ? a.position - b.position : a.menu === 'primary' ? -1 : 1));
}
