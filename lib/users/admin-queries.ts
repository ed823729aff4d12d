import 'server-only';
import { asc, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users, type Role } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/errors';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { hasCapability, type Capability } from './policy';

/** The viewer, if their current role has `capability` (else ForbiddenError): the one gate of the admin pages. */
export async function requireCapability(...anyOf: Capability[]): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!anyOf.some((capability) => hasCapability(viewer.role, capability))) throw new ForbiddenError();
  return viewer;
}

/**
 * active: can sign in; invited: has an email but has not set a password yet; disabled: refused at
 * sign-in and on every request; byline: an imported author without an email, who cannot sign in.
 */
export type UserStatus = 'active' | 'invited' | 'disabled' | 'byline';

export type UserListItem = {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  hasPassword: boolean;
  status: UserStatus;
  createdAt: Date;
};

/** Everyone with an account, for admins (who manage them) and editors (who invite, and see the list read-only). */
export async function listUsers(): Promise<UserListItem[]> {
  await requireCapability('manageUsers', 'inviteUsers');
  const rows = await getDb()
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      disabled: sql<boolean>`${users.disabledAt} is not null`,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(sql`lower(${users.name})`), asc(users.id));
  return rows.map((row) => ({ ...row, status: statusOf(row) }));
}

function statusOf(row: { email: string | null; disabled: boolean; hasPassword: boolean }): UserStatus {
  if (row.disabled) return 'disabled';
  if (!row.email) return 'byline';
  return row.hasPassword ? 'active' : 'invited';
}
