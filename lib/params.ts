import { z } from 'zod';
import { decodeCursor } from '@/lib/posts/cursor';

/** Route params and query strings are hostile: these schemas decide what a page may act on. */
// No control characters (PostgreSQL refuses NUL outright): such a URL is simply not one of ours.
export const slugParamSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/);

export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The keyset cursor from `?after=`, or null (page one) when it is missing or not one we made. */
export function afterParam(searchParams: Record<string, string | string[] | undefined>): string | null {
  const value = firstParam(searchParams.after);
  return decodeCursor(value) ? value! : null;
}

/** A slug from the URL, decoded; null (→ 404) when it cannot be one of ours. */
export function parseSlug(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const parsed = slugParamSchema.safeParse(decoded);
  return parsed.success ? parsed.data : null;
}

/** The data layer's own check: a key with control characters can match nothing (PostgreSQL refuses NUL). */
export function isLookupKey(value: string): boolean {
  return slugParamSchema.safeParse(value).success;
}
