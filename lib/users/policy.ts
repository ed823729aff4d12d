import type { Role } from '@/db/schema';

/** Site-wide capabilities, by role: a pure table like lib/posts/policy.ts. */
export const capabilities = ['manageTags', 'manageUsers', 'manageSettings', 'viewAudit', 'inviteUsers', 'importContent'] as const;
export type Capability = (typeof capabilities)[number];

const table: Record<Role, readonly Capability[]> = {
  contributor: [],
  author: [],
  editor: ['manageTags', 'inviteUsers'],
  admin: ['manageTags', 'inviteUsers', 'manageUsers', 'manageSettings', 'viewAudit', 'importContent'],
};

export function hasCapability(role: Role, capability: Capability): boolean {
  return table[role].includes(capability);
}

/** Editors invite contributors and authors; admins invite anyone. */
export function canInviteRole(actor: Role, invited: Role): boolean {
  if (actor === 'admin') return true;
  if (actor === 'editor') return invited === 'contributor' || invited === 'author';
  return false;
}

/**
 * Changing someone's role or disabling them is for admins, and the last active admin can be
 * neither demoted nor disabled (the count comes from the data layer).
 */
export function canChangeRole(actor: Role, target: { role: Role }, next: Role, activeAdmins: number): boolean {
  if (actor !== 'admin') return false;
  if (target.role === 'admin' && next !== 'admin' && activeAdmins <= 1) return false;
  return true;
}

export function canDisable(actor: Role, target: { role: Role; disabled: boolean }, activeAdmins: number): boolean {
  if (actor !== 'admin') return false;
  if (target.role === 'admin' && !target.disabled && activeAdmins <= 1) return false;
  return true;
}
