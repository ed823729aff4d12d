import type { Role } from '@/db/schema';

/** Editors and admins see and manage the members (readers who subscribe by email). Pure. */
export function canManageMembers(role: Role): boolean {
  return role === 'editor' || role === 'admin';
}
