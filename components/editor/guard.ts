import { notFound, redirect } from 'next/navigation';
import { AuthError, NotFoundError } from '@/lib/auth/errors';

/**
 * For editor pages: the data layer's "not yours or not there" becomes the 404 page, and a lost
 * session the sign-in page; anything else is a real error for error.tsx.
 */
export async function orNotFound<T>(work: Promise<T>, callbackUrl = '/editor'): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    if (error instanceof AuthError) redirect(`/login?${new URLSearchParams({ callbackUrl })}`);
    throw error;
  }
}
