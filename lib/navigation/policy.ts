import type { Role } from '@/db/schema';

/**
 * The reader site's menus are editorial (which sections and pages a reader is pointed to), like
 * tags: editors and admins. Writers do not change the site's chrome.
 */
export function canEditNavigation(role: Role): boolean {
  return role === 'admin' || role === 'editor';
}
