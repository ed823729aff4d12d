import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvField, isHeaderRecord, parseCsv, toCsv } from '@/lib/redirects/csv';

const fields = (text: string) => parseCsv(text).map((record) => record.fields);

describe('parseCsv', () => {
  it('reads plain lines, with or without a final line break, skipping blank lines', () => {
    expect(parseCsv('/a,/b,301\n\n/c,/d\n   \n/e,/f,302')).toEqual([
      { line: 1, fields: ['/a', '/b', '301'] },
      { line: 3, fields: ['/c', '/d'] },
      { line: 5, fields: ['/e', '/f', '302'] },
    ]);
    expect(fields('/a,/b\n')).toEqual([['/a', '/b']]);
    expect(fields('')).toEqual([]);
  });

  it('reads CRLF, LF and lone CR line ends alike, and ignores a byte-order mark', () => {
    expect(parseCsv('\uFEFFfrom,to\r\n/a,/b\r/c,/d\n/e,/f\r\n')).toEqual([
      { line: 1, fields: ['from', 'to'] },
      { line: 2, fields: ['/a', '/b'] },
      { line: 3, fields: ['/c', '/d'] },
      { line: 4, fields: ['/e', '/f'] },
    ]);
  });

  it('reads quoted fields: commas, doubled quotes, line breaks inside (and counts those lines)', () => {
    expect(parseCsv('"/a,b","/x ""y"" z",301\r\n"/multi\r\nline",/b\n/next,/c')).toEqual([
      { line: 1, fields: ['/a,b', '/x "y" z', '301'] },
      { line: 2, fields: ['/multi\r\nline', '/b'] },
      { line: 4, fields: ['/next', '/c'] },
    ]);
    expect(fields('"",""\n')).toEqual([['', '']]);
    expect(fields('/a,')).toEqual([['/a', '']]);
  });

  it('refuses broken quoting, naming the line', () => {
    const error = (text: string) => {
      try {
        parseCsv(text);
      } catch (caught) {
        return caught as CsvSyntaxError;
      }
      throw new Error('no error');
    };
    expect(error('/a,/b\n/c,"/d\n/e,/f')).toMatchObject({ line: 2, message: expect.stringMatching(/^Line 2: a quoted field is never closed/) });
    expect(error('/a,/b\n/c,/d"x"\n')).toMatchObject({ line: 2, message: expect.stringMatching(/^Line 2: a quote inside an unquoted field/) });
    expect(error('/a,/b\n"/c"x,/d\n')).toMatchObject({ line: 2, message: expect.stringMatching(/^Line 2: text after a closing quote/) });
    expect(error('"/a\n\n",/b\n/c,"/d')).toMatchObject({ line: 4 });
  });

  it('reads 10,000 lines quickly, numbering each', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `/old/${i},/posts/p${i},301`).join('\r\n');
    const started = performance.now();
    const records = parseCsv(text);
    expect(performance.now() - started).toBeLessThan(500);
    expect(records).toHaveLength(10_000);
    expect(records[9_999]).toEqual({ line: 10_000, fields: ['/old/9999', '/posts/p9999', '301'] });
  });

  it('reads a line of 1 MB, quoted or not, in linear time', () => {
    const long = `/${'a'.repeat(1024 * 1024)}`;
    const quoted = `"/${'x""'.repeat(350_000)}",/c`;
    const started = performance.now();
    const plain = fields(`/a,/b\n${long},/c\n/d,/e`);
    const doubled = fields(quoted);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(plain[1][0]).toHaveLength(long.length);
    expect(doubled[0][0]).toBe(`/${'x"'.repeat(350_000)}`);
  });

  it('keeps whatever the fields hold for validation to judge (NUL, markup, formulas)', () => {
    expect(fields('/a\u0000,<script>,=cmd()')).toEqual([['/a\u0000', '<script>', '=cmd()']]);
  });
});

describe('isHeaderRecord', () => {
  it('knows the column names, in any case, with or without status', () => {
    expect(isHeaderRecord(['from', 'to', 'status'])).toBe(true);
    expect(isHeaderRecord([' From ', 'TO'])).toBe(true);
    expect(isHeaderRecord(['/from', '/to'])).toBe(false);
    expect(isHeaderRecord(['from', 'to', '301'])).toBe(false);
  });
});

describe('toCsv', () => {
  it('quotes only what needs it, and reads back the same', () => {
    expect(csvField('/plain')).toBe('/plain');
    expect(csvField('/a,b')).toBe('"/a,b"');
    expect(csvField('/say "hi"')).toBe('"/say ""hi"""');
    expect(csvField(' /lead')).toBe('" /lead"');
    const rows = [
      ['/a,b', '/x "y"', '301'],
      ['/multi\nline', 'https://example.com/?a=1&b=2', '302'],
      ['/plain', '/posts/p', '301'],
    ];
    const text = toCsv(['from', 'to', 'status'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(fields(text)).toEqual([['from', 'to', 'status'], ...rows]);
  });
});
