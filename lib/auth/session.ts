import 'server-only';
import { getServerSession } from 'next-auth';
import { getAuthOptions } from './options';

/** The signed-in user's id from the session cookie, or null. Role and status are NOT trusted from here. */
export async function getSessionUserId(): Promise<string | null> {
  const session = await getServerSession(getAuthOptions());
  const id = (session?.user as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : null;
}
