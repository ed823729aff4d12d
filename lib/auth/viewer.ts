import 'server-only';
import { cache } from 'react';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { users, type Role } from '@/db/schema';
import { AuthError } from './errors';
import { getSessionUserId } from './session';

export type Viewer = { id: string; name: string; email: string; slug: string; role: Role };

/**
 * Who is asking, re-read from the database on every request (once per request, via React cache):
 * a role change or a disabled account takes effect on the next click, not when the cookie expires.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const id = await getSessionUserId();
  if (!id || !z.uuid().safeParse(id).success) return null;
  const [row] = await getDb()
    .select({ id: users.id, name: users.name, email: users.email, slug: users.slug, role: users.role })
    .from(users)
    .where(and(eq(users.id, id), isNull(users.disabledAt)))
    .limit(1);
  if (!row?.email) return null;
  return { ...row, email: row.email };
});

export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) throw new AuthError();
  return viewer;
}
