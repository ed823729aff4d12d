import 'server-only';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { env } from '@/lib/env';

/**
 * Where mail goes: nodemailer to SMTP_URL (pooled connections), or, with no SMTP_URL (the embedded
 * default), each message as an .eml file in OUTBOX_DIR, its path logged, so a newcomer can open
 * what would have been sent. Callers give fully built messages (lib/mail/compose.ts); nothing here
 * decides who gets what.
 */
export type Sent = { messageId: string; accepted: string[]; rejected: string[]; file?: string };

let transport: Transporter | null = null;
let outbox: Transporter | null = null;

/** Concurrent SMTP connections per process. */
export const SMTP_CONNECTIONS = 5;

function smtp(url: string): Transporter {
  transport ??= nodemailer.createTransport({ url, pool: true, maxConnections: SMTP_CONNECTIONS, maxMessages: Infinity } as Parameters<typeof nodemailer.createTransport>[0]);
  return transport;
}

export async function sendMail(message: SendMailOptions): Promise<Sent> {
  const { SMTP_URL, OUTBOX_DIR } = env();
  if (SMTP_URL) {
    const info = await smtp(SMTP_URL).sendMail(message);
    return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
  }
  outbox ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await outbox.sendMail(message);
  await mkdir(OUTBOX_DIR, { recursive: true });
  const file = path.join(OUTBOX_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
  await writeFile(file, info.message as Buffer);
  console.log(`[mail] no SMTP_URL: wrote ${file}`);
  const to = ([] as unknown[]).concat(message.to ?? []).map((address) => (typeof address === 'string' ? address : (address as { address: string }).address));
  return { messageId: info.messageId, accepted: to, rejected: [], file };
}

/** Closes pooled SMTP connections (tests, a worker shutting down). */
export function closeMail(): void {
  transport?.close();
  transport = null;
}
