import type { MemberStatus } from '@/db/schema';
import { readCsvRecords } from '@/lib/redirects/csv';
import { MAX_CSV_ROWS, memberEmailSchema, memberNameSchema, memberStatusSchema } from './schemas';

/**
 * The members' CSV: columns `email,name,consent_at[,status]` (lib/redirects/csv.ts reads the
 * format), an optional header row. Pure. A row becomes `subscribed` without a confirmation mail only
 * with a consent date; without one it is `pending` and gets a confirmation mail. A status column may
 * say `unsubscribed` or `bounced` (kept as such, never mailed), or ask for `subscribed`/`pending`
 * explicitly; `subscribed` without a consent date is an error, as is a consent date in the future.
 */
export const MEMBER_CSV_HEADER = ['email', 'name', 'consent_at', 'status'];

export type MemberCsvRow = { line: number; email: string; name: string; status: MemberStatus; consentAt: Date | null };

const MAX_REPORTED = 10;
// A day or an ISO timestamp (what the export writes); nothing a locale could read two ways.
const DATE = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

function isHeader(fields: string[]): boolean {
  const names = fields.map((field) => field.trim().toLowerCase());
  return names[0] === 'email' && (names[1] === undefined || names[1] === 'name');
}

function parseConsent(text: string, now: number): Date | string | null {
  const value = text.trim();
  if (!value) return null;
  const date = DATE.test(value) ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : null;
  if (!date || Number.isNaN(date.getTime())) return `the consent date "${value.slice(0, 40)}" is not a date like 2024-01-25 or 2024-01-25T10:00:00Z.`;
  if (date.getTime() > now + 60_000) return 'the consent date is in the future.';
  return date;
}

/** Every line checked; the members it describes, or the problems naming their lines (at most 11). */
export function readMembersCsv(text: string, now: number = Date.now()): { rows: MemberCsvRow[]; problems: string[] } {
  const { records, problems } = readCsvRecords(text, { noun: 'members', maxRows: MAX_CSV_ROWS, isHeader });
  const rows: MemberCsvRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    if (problems.length > MAX_REPORTED) break;
    if (fields.length < 1 || fields.length > 4) {
      problems.push(`Line ${line}: expected the columns email,name,consent_at,status; found ${fields.length} columns.`);
      continue;
    }
    const email = memberEmailSchema.safeParse(fields[0]);
    const name = memberNameSchema.safeParse(fields[1] ?? '');
    const consent = parseConsent(fields[2] ?? '', now);
    const statusText = (fields[3] ?? '').trim().toLowerCase();
    const status = statusText ? memberStatusSchema.safeParse(statusText) : null;
    const problem = !email.success
      ? email.error.issues[0].message
      : !name.success
        ? name.error.issues[0].message
        : typeof consent === 'string'
          ? consent
          : status && !status.success
            ? `the status "${statusText.slice(0, 40)}" is not pending, subscribed, unsubscribed or bounced.`
            : status?.data === 'subscribed' && !consent
              ? 'a subscribed member needs the date they agreed (consent_at); leave the status empty to send them a confirmation mail instead.'
              : null;
    if (problem || !email.success || !name.success || typeof consent === 'string') {
      problems.push(`Line ${line}: ${problem}`);
      continue;
    }
    const earlier = seen.get(email.data);
    if (earlier !== undefined) {
      problems.push(`Line ${line}: this address is already on line ${earlier}.`);
      continue;
    }
    seen.set(email.data, line);
    const wanted: MemberStatus = status?.success ? status.data : consent ? 'subscribed' : 'pending';
    rows.push({ line, email: email.data, name: name.data, status: wanted, consentAt: consent });
  }
  return { rows, problems };
}
