import { slugify as transliterate } from 'transliteration';

export const MAX_SLUG_LENGTH = 120;

/**
 * A readable, URL-safe slug from any title: accents folded, non-Latin scripts transliterated
 * ("Привет мир" → "privet-mir"), emoji and punctuation dropped. Falls back to `fallback` when
 * nothing readable is left (a title of only emoji).
 */
export function slugify(input: string, fallback = 'untitled'): string {
  // Apostrophes join words ("couldn't" → "couldnt"), they do not split them.
  const slug = transliterate(input.replace(/['’]/g, ''), { lowercase: true, separator: '-', trim: true, allowedChars: 'a-zA-Z0-9-' })
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-$/, '');
  return slug || fallback;
}

/** What a hand-typed slug must look like. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
