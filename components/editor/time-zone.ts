/**
 * Wall-clock times in the site's time zone, with Intl only (no date library): the schedule input
 * is a `datetime-local` that means "this time in the site's zone", whatever the writer's own zone.
 * Pure, so it runs on the server and in the browser alike.
 */

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(instant: number, timeZone: string): Parts {
  const out: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  // Some engines still say "24" for midnight despite h23.
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** Minutes to add to UTC to get the wall clock in `timeZone` at that instant (Paris in winter: 60). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const p = wallClock(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** "+01:00", "-05:30", "+00:00". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "2025-03-01T10:00" meant in `timeZone` → "2025-03-01T10:00:00+01:00". A time skipped by a
 * daylight-saving jump lands just after the jump; an ambiguous one takes the earlier instant.
 * Throws on anything that is not a datetime-local value.
 */
export function zonedLocalToIso(local: string, timeZone: string): string {
  const match = LOCAL.exec(local);
  if (!match) throw new RangeError(`Not a local date and time: "${local}"`);
  const [year, month, day, hour, minute, second = 0] = match.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offsets in force half a day either side cover any daylight-saving change near `guess`.
  const before = offsetMinutes(guess - 12 * 3_600_000, timeZone);
  const after = offsetMinutes(guess + 12 * 3_600_000, timeZone);
  const fits = [before, after].map((offset) => guess - offset * 60_000).filter((instant) => isoToZonedLocal(new Date(instant), timeZone) === local.slice(0, 16));
  // No fit: the time was skipped, so read it with the offset from before the jump.
  const instant = fits.length > 0 ? Math.min(...fits) : guess - before * 60_000;
  const p = wallClock(instant, timeZone);
  const finalOffset = offsetMinutes(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${formatOffset(finalOffset)}`;
}

/** An instant → the `datetime-local` value ("2025-03-01T10:00") showing it in `timeZone`. */
export function isoToZonedLocal(iso: string | Date, timeZone: string): string {
  const p = wallClock(new Date(iso).getTime(), timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** "Europe/Paris (UTC+01:00)", with the offset in force at `at` (summer and winter differ). */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  return `${timeZone} (UTC${formatOffset(offsetMinutes(at.getTime(), timeZone))})`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "3 Mar 2025, 14:05" in the site's zone, for lists and panels. Built by hand rather than with a
 * locale format, so the server's and the browser's ICU versions cannot disagree during hydration.
 */
export function formatDateTime(date: string | Date, timeZone: string): string {
  const p = wallClock(new Date(date).getTime(), timeZone);
  return `${p.day} ${MONTHS[p.month - 1]} ${p.year}, ${pad(p.hour)}:${pad(p.minute)}`;
}
