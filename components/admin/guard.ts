import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { AuthError, ForbiddenError, NotFoundError } from '@/lib/auth/errors';

/**
 * For the admin pages: a viewer without the capability gets the plain 404 (it reveals less than
 * "forbidden"), a lost session the sign-in page; anything else is a real error for error.tsx.
 */
export async function adminOnly<T>(work: Promise<T>, callbackUrl = '/editor'): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof NotFoundError) notFound();
    if (error instanceof AuthError) redirect(`/login?${new URLSearchParams({ callbackUrl })}`);
    throw error;
  }
}
