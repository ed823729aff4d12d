import { z } from 'zod';
import { MAX_TEXT } from '@/lib/content/frontmatter';
import { lineSchema, textSchema } from '@/lib/users/schemas';

export const MAX_POSTS_PER_PAGE = 50;

/** Every zone this runtime knows, UTC first (V8 leaves the plain "UTC" out of its list). */
export function timeZoneOptions(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}

/**
 * The canonical spelling of an IANA zone ("europe/london" → "Europe/London"), or null. Offsets such
 * as "+01:00" are refused: a fixed offset knows nothing of summer time.
 */
export function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z]/.test(value)) return null;
  if (Intl.supportedValuesOf('timeZone').includes(value)) return value;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const timeZoneSchema = z
  .string('Pick a time zone.')
  .trim()
  .max(64, 'Pick a time zone from the list.')
  .transform((value, ctx) => {
    const zone = canonicalTimeZone(value);
    if (!zone) {
      ctx.addIssue({ code: 'custom', message: `“${value}” is not a time zone this server knows.` });
      return z.NEVER;
    }
    return zone;
  });

export const siteSettingsSchema = z.object({
  title: lineSchema('the title', 120).min(1, 'Enter a title.'),
  description: textSchema('the description', 300),
  defaultCta: textSchema('the call to action', MAX_TEXT),
  timeZone: timeZoneSchema,
  postsPerPage: z.coerce
    .number('Posts per page must be a number.')
    .int('Posts per page must be a whole number.')
    .min(1, 'Show at least 1 post per page.')
    .max(MAX_POSTS_PER_PAGE, `Show at most ${MAX_POSTS_PER_PAGE} posts per page.`),
});
export type SiteSettingsInput = z.input<typeof siteSettingsSchema>;
