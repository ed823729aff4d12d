import type { Role } from '@/db/schema';

/**
 * Redirects decide where any address of the site goes, a reader's 404 included, and can send
 * readers to another site: admins only, like the site settings.
 */
export function canManageRedirects(role: Role): boolean {
  return role === 'admin';
}
