import { z } from 'zod';

/** Keyset pagination cursors: the (publish_at, id) of the last item shown, opaque in the URL. */
export type Cursor = { at: Date; id: string };

const cursorSchema = z.object({
  at: z.iso.datetime().transform((s) => new Date(s)),
  id: z.uuid(),
});

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString('base64url');
}

/** Returns null for anything that is not a cursor we made: a bad query string shows page one. */
export function decodeCursor(value: unknown): Cursor | null {
  if (typeof value !== 'string' || value.length > 200) return null;
  const [at, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const parsed = cursorSchema.safeParse({ at, id });
  return parsed.success ? parsed.data : null;
}
