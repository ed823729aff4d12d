/** Dates as readers see them, in the site's time zone: "25 January 2024". */
export function formatDate(date: Date, timeZone: string, locale = 'en'): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(date);
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
