import 'server-only';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { env } from '@/lib/env';

/**
 * Where mail goes: nodemailer to SMTP_URL (pooled connections), or, with no SMTP_URL (the embedded
 * default), each message as an .eml file in OUTBOX_DIR, its path logged, so a newcomer can open
 * what would have been sent. Callers give fully built messages (lib/newsletters/message.ts); nothing
 * here decides who gets what.
 */
export type Sent = { messageId: string; accepted: string[]; rejected: string[]; file?: string };

let transport: { url: string; transporter: Transporter } | null = null;
let outbox: Transporter | null = null;

/** Concurrent SMTP connections per process. */
export const SMTP_CONNECTIONS = 5;

/**
 * An SMTP conversation that goes quiet for this long fails (a temporary error, retried). It bounds
 * how long one send can take, which must stay well inside a newsletter delivery's 60 s lease
 * (lib/newsletters/send.ts); nodemailer's own default is an hour.
 */
export const SMTP_SOCKET_TIMEOUT_MS = 30_000;

function smtp(url: string): Transporter {
  if (transport?.url !== url) {
    transport?.transporter.close();
    const options = {
      url,
      pool: true,
      maxConnections: SMTP_CONNECTIONS,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
    };
    transport = { url, transporter: nodemailer.createTransport(options as Parameters<typeof nodemailer.createTransport>[0]) };
  }
  return transport.transporter;
}

/** Messages never read local files or fetch URLs on our behalf, whatever their content says. */
const safe = (message: SendMailOptions): SendMailOptions => ({ ...message, disableFileAccess: true, disableUrlAccess: true });

export async function sendMail(message: SendMailOptions): Promise<Sent> {
  const { SMTP_URL, OUTBOX_DIR } = env();
  if (SMTP_URL) {
    const info = await smtp(SMTP_URL).sendMail(safe(message));
    return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
  }
  outbox ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await outbox.sendMail(safe(message));
  await mkdir(OUTBOX_DIR, { recursive: true });
  const file = path.join(OUTBOX_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
  await writeFile(file, info.message as Buffer);
  console.log(`[mail] no SMTP_URL: wrote ${file}`);
  const to = ([] as unknown[]).concat(message.to ?? []).map((address) => (typeof address === 'string' ? address : (address as { address: string }).address));
  return { messageId: info.messageId, accepted: to, rejected: [], file };
}

/**
 * Whether a failed send should never be tried again: the SMTP server refused it for good (a 5xx
 * reply, RFC 5321 §4.2.1), or the message itself cannot be built. Anything else (4xx, a connection
 * refused, reset or timed out) is temporary.
 */
export function isPermanentMailError(error: unknown): boolean {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number') return responseCode >= 500 && responseCode < 600;
  return code === 'EMESSAGE' || code === 'EENVELOPE';
}

/** One line for the editor and the log: the SMTP server's reply when there is one, never a stack. */
export function mailErrorMessage(error: unknown): string {
  const { response, message } = (error ?? {}) as { response?: unknown; message?: unknown };
  const text = typeof response === 'string' && response ? response : typeof message === 'string' ? message : String(error);
  return text
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .trim()
    .slice(0, 500);
}

/** Closes pooled SMTP connections (tests, a worker shutting down). */
export function closeMail(): void {
  transport?.transporter.close();
  transport = null;
}
