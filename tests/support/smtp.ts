/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, a free port), keeping every message it
 * accepted, with a small MIME reader of our own: headers (unfolded, RFC 2047 decoded) and the text
 * and HTML parts. It can refuse a recipient for good (550) or for now (451), and hold a message's
 * answer until released (to kill a sender mid-send).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Received = {
  /** MAIL FROM and RCPT TO. */
  envelope: { from: string; to: string[] };
  raw: string;
  /** Every header line as it arrived, unfolded, in order: [lower-case name, raw value]. */
  headerLines: [string, string][];
  header: (name: string) => string | undefined;
  text: string;
  html: string;
};

export type TestSmtp = {
  url: string;
  port: number;
  received: Received[];
  /** RCPT TO answers: 550 (permanent) or 451 (temporary) for these addresses. */
  refuse: Map<string, 550 | 451>;
  /** While set, each message's final answer waits for this promise (the message counts only once answered). */
  hold: Promise<void> | null;
  /** Called when a message's data has arrived, before any hold. */
  onData: ((raw: string) => void) | null;
  /** Messages whose data arrived but had not been answered when their connection closed. */
  abandoned: number;
  /** Messages held now (data arrived, answer waiting on `hold`, connection still open). */
  heldCount: () => number;
  close: () => Promise<void>;
};

export async function startSmtpServer(): Promise<TestSmtp> {
  const state: TestSmtp = {
    url: '',
    port: 0,
    received: [],
    refuse: new Map(),
    hold: null,
    onData: null,
    abandoned: 0,
    heldCount: () => held.size,
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 20 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const code = state.refuse.get(address.address.toLowerCase());
      if (!code) return callback();
      const error = new Error(code === 550 ? 'No such user here' : 'Mailbox busy, try later') as Error & { responseCode: number };
      error.responseCode = code;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        state.onData?.(raw);
        const accept = () => {
          state.received.push(
            parseMessage(raw, { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) }),
          );
          callback();
        };
        const hold = state.hold;
        if (!hold) return accept();
        // The sender was killed and its connection closed before the data's end was read: an
        // answer can never reach it, so the message never counts (a killed sender resends it).
        if (closed.has(session.id)) {
          state.abandoned += 1;
          return callback();
        }
        held.add(session.id);
        void hold.then(() => {
          // The sender's connection closed meanwhile (it was killed): never answered, never accepted.
          if (held.delete(session.id)) accept();
        });
      });
    },
    onClose(session) {
      closed.add(session.id);
      if (held.delete(session.id)) state.abandoned += 1;
    },
  });
  const held = new Set<string>();
  const closed = new Set<string>();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${state.port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** A message as text: headers, then the text/plain and text/html parts, decoded. */
export function parseMessage(raw: string, envelope: { from: string; to: string[] } = { from: '', to: [] }): Received {
  const { headerLines, body } = splitHeaders(raw);
  const header = (name: string) => decodeWords(headerLines.find(([key]) => key === name.toLowerCase())?.[1] ?? '') || undefined;
  const parts = leafParts(headerLines, body);
  const part = (type: string) => parts.find((p) => p.type === type)?.content ?? '';
  return { envelope, raw, headerLines, header, text: part('text/plain'), html: part('text/html') };
}

function splitHeaders(raw: string): { headerLines: [string, string][]; body: string } {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end).replace(/^\r?\n\r?\n/, '');
  const lines: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && lines.length > 0) lines[lines.length - 1][1] += line.replace(/^[ \t]+/, ' ');
    else {
      const colon = line.indexOf(':');
      if (colon > 0) lines.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  return { headerLines: lines.map(([name, value]) => [name, value.trim()]), body };
}

function leafParts(headerLines: [string, string][], body: string): { type: string; content: string }[] {
  const contentType = headerLines.find(([key]) => key === 'content-type')?.[1] ?? 'text/plain';
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return [];
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith('--'))
      .flatMap((chunk) => {
        const inner = splitHeaders(chunk.replace(/^\r?\n/, ''));
        return leafParts(inner.headerLines, inner.body);
      });
  }
  const encoding = (headerLines.find(([key]) => key === 'content-transfer-encoding')?.[1] ?? '').toLowerCase();
  const charset = /charset="?([^";]+)"?/i.exec(contentType)?.[1] ?? 'utf-8';
  return [{ type, content: decodeBody(body.replace(/\r?\n$/, ''), encoding, charset) }];
}

function decodeBody(body: string, encoding: string, charset: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString(charset as BufferEncoding);
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
  }
  return body.replace(/\r\n/g, '\n');
}

/** RFC 2047 encoded words (=?utf-8?Q?…?= and =?utf-8?B?…?=), adjacent ones joined. */
export function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) => {
    if (kind.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}
