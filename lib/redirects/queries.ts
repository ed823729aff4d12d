import 'server-only';
import { eq } from 'drizzle-orm';
import { getReadDb } from '@/db/client';
import { redirects } from '@/db/schema';
import { normalizeRedirectPath } from './paths';

export type RedirectTarget = { to: string; status: 301 | 302 };

/**
 * The redirect for an address nothing else answers, or null. Public: it only says where a public
 * address moved. Called by the pages that answer unknown addresses; their answer is cached like
 * any page, so this is one lookup per cache miss.
 */
export async function findRedirect(address: string): Promise<RedirectTarget | null> {
  const from = normalizeRedirectPath(address);
  if (!from) return null;
  const [row] = await getReadDb()
    .select({ to: redirects.toPath, status: redirects.statusCode })
    .from(redirects)
    .where(eq(redirects.fromPath, from))
    .limit(1);
  return row ? { to: row.to, status: row.status === 302 ? 302 : 301 } : null;
}
