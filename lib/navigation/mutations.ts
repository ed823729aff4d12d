import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { navigationItems } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { ForbiddenError } from '@/lib/auth/errors';
import { requireViewer } from '@/lib/auth/viewer';
import { parseInput } from '@/lib/users/schemas';
import { canEditNavigation } from './policy';
import { saveNavigationSchema, type SaveNavigationInput } from './schemas';

// Two saves of one menu at once: one after the other (each replaces the whole menu).
const NAVIGATION_LOCK = 720_456;

/**
 * Editors and admins: replaces one menu's items, in order, in one transaction. `changed` is false
 * when the menu was already exactly this (nothing written, nothing for readers to refresh).
 */
export async function saveNavigation(menu: SaveNavigationInput['menu'], items: SaveNavigationInput['items']): Promise<{ changed: boolean }> {
  const viewer = await requireViewer();
  if (!canEditNavigation(viewer.role)) throw new ForbiddenError();
  const input = parseInput(saveNavigationSchema, { menu, items });
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${NAVIGATION_LOCK}, hashtext(${input.menu}))`);
    const current = await tx
      .select({ label: navigationItems.label, url: navigationItems.url })
      .from(navigationItems)
      .where(eq(navigationItems.menu, input.menu))
      .orderBy(asc(navigationItems.position));
    const same = current.length === input.items.length && current.every((item, at) => item.label === input.items[at].label && item.url === input.items[at].url);
    if (same) return { changed: false };
    await tx.delete(navigationItems).where(eq(navigationItems.menu, input.menu));
    if (input.items.length > 0) {
      await tx.insert(navigationItems).values(input.items.map((item, position) => ({ menu: input.menu, position, label: item.label, url: item.url })));
    }
    await recordAudit(
      {
        actorId: viewer.id,
        action: 'navigation.update',
        targetType: 'navigation',
        targetId: input.menu,
        detail: { items: input.items.length, previously: current.length },
      },
      tx,
    );
    return { changed: true };
  });
}
