import type { Role } from '@/db/schema';

/**
 * Who must have two-factor sign-in, pure (no I/O): when the site requires it (site_settings
 * require_two_factor), admins and editors, who can change what every reader sees and who else may.
 */
export const TWO_FACTOR_REQUIRED_ROLES: readonly Role[] = ['admin', 'editor'];

export function mustSetUpTwoFactor(role: Role, enabled: boolean, siteRequires: boolean): boolean {
  return siteRequires && !enabled && TWO_FACTOR_REQUIRED_ROLES.includes(role);
}
