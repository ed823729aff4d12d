import 'server-only';
import { cache } from 'react';
import { asc } from 'drizzle-orm';
import { getDb, getReadDb } from '@/db/client';
import { navigationItems, type NavigationMenu } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/errors';
import { requireViewer } from '@/lib/auth/viewer';
import { canEditNavigation } from './policy';
import type { NavigationItem } from './schemas';

export type Navigation = Record<NavigationMenu, NavigationItem[]>;

async function readMenus(db: ReturnType<typeof getDb>): Promise<Navigation> {
  const rows = await db
    .select({ menu: navigationItems.menu, label: navigationItems.label, url: navigationItems.url })
    .from(navigationItems)
    .orderBy(asc(navigationItems.menu), asc(navigationItems.position));
  const menus: Navigation = { primary: [], footer: [] };
  for (const { menu, label, url } of rows) menus[menu].push({ label, url });
  return menus;
}

/**
 * Both menus, in order: public (every reader page shows them, and is cached with them until a
 * menu is saved). One small query, once per render.
 */
export const listNavigation = cache(async (): Promise<Navigation> => {
  // Without a database (an outage while the 404 page renders) the site still renders, menu-less.
  return readMenus(getReadDb()).catch((error: Error) => {
    console.error(`[navigation] no menus: ${error.message.split('\n')[0]}`);
    return { primary: [], footer: [] };
  });
});

/** Editors and admins: the menus as stored now (the primary database), for the menu form. */
export async function getNavigationForEditing(): Promise<Navigation> {
  const viewer = await requireViewer();
  if (!canEditNavigation(viewer.role)) throw new ForbiddenError();
  return readMenus(getDb());
}
