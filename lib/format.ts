// Making an Intl.DateTimeFormat costs far more than using one, and a list page dates every post.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Dates as readers see them, in the site's time zone: "25 January 2024". */
export function formatDate(date: Date, timeZone: string, locale = 'en'): string {
  const key = `${locale}\u0000${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
    // One site has one zone and one locale; a bound anyway, for settings that change.
    if (dateFormats.size >= 32) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format.format(date);
}

export function readingTimeLabel(minutes: number): string {
  return `${minutes} min read`;
}

/** Absolute URL on this site. */
export function absoluteUrl(siteUrl: string, path: string): string {
  return new URL(path, `${siteUrl}/`).toString();
}

/**
 * JSON for a <script type="application/ld+json">: `<`, `>`, `&` and the line separators are
 * escaped so no field, however hostile, can close the script element or break out of it.
 */
export function safeJsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A byline as text: "Ann", "Ann and Bo", "Ann, Bo and Cy" (the site's byline, the newsletter's "By …"). */
export function bylineText(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
