import type { Role } from '@/db/schema';

/** Admins only make and revoke Content API keys: a key lets another site read through the API. Pure. */
export function canManageContentApiKeys(role: Role): boolean {
  return role === 'admin';
}
