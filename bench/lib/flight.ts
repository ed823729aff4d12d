/**
 * Just enough of React's Flight wire format to read a server action's answer: rows `<id>:<json>\n`
 * and length-prefixed text rows `<id>:T<hex length>,<text>`, with `$`-references between them.
 * The bench needs the action's small result object (ok, version, slug, error), nothing more.
 */

type Rows = Map<string, string>;

function splitRows(body: Buffer): Rows {
  const rows: Rows = new Map();
  let at = 0;
  while (at < body.length) {
    const colon = body.indexOf(0x3a, at); // ':'
    if (colon < 0) break;
    const id = body.subarray(at, colon).toString('latin1');
    if (body[colon + 1] === 0x54) {
      // 'T': text whose length is given in bytes, then the text itself, no newline.
      const comma = body.indexOf(0x2c, colon);
      const length = parseInt(body.subarray(colon + 2, comma).toString('latin1'), 16);
      rows.set(id, JSON.stringify(body.subarray(comma + 1, comma + 1 + length).toString('utf8')));
      at = comma + 1 + length;
    } else {
      const newline = body.indexOf(0x0a, colon);
      const end = newline < 0 ? body.length : newline;
      rows.set(id, body.subarray(colon + 1, end).toString('utf8'));
      at = end + 1;
    }
  }
  return rows;
}

function resolve(value: unknown, rows: Rows, depth: number): unknown {
  if (depth > 50) return value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, rows, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, rows, depth + 1)]));
  }
  if (typeof value !== 'string' || !value.startsWith('$')) return value;
  if (value.startsWith('$$')) return value.slice(1);
  if (value.startsWith('$D')) return value.slice(2); // a Date, kept as its ISO string
  if (value === '$undefined') return undefined;
  const reference = /^\$@?([0-9a-f]+)$/.exec(value);
  if (reference) return readRow(reference[1], rows, depth + 1);
  return value;
}

function readRow(id: string, rows: Rows, depth: number): unknown {
  const raw = rows.get(id);
  if (raw === undefined) return undefined;
  try {
    return resolve(JSON.parse(raw), rows, depth);
  } catch {
    return raw; // a row type we do not read (hints, imports)
  }
}

/** The value a server action returned (row 0's `a`), or undefined when the answer carries none. */
export function actionResult(body: Buffer): unknown {
  const root = readRow('0', splitRows(body), 0) as { a?: unknown } | undefined;
  return root && typeof root === 'object' ? root.a : undefined;
}

/** What React's encodeReply does to plain JSON arguments: a string starting with `$` gets a second `$`. */
export function encodeArguments(args: unknown[]): string {
  return JSON.stringify(args, (_key, value: unknown) => (typeof value === 'string' && value.startsWith('$') ? `$${value}` : value));
}
