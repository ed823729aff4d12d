import type { Role } from '@/db/schema';

/** Admins only register webhooks, see their deliveries and redeliver: a webhook sends site data elsewhere. Pure. */
export function canManageWebhooks(role: Role): boolean {
  return role === 'admin';
}
