import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { members } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { env } from '@/lib/env';
import { addJob, removeJob } from '@/lib/jobs/queue';
import type { Tx } from '@/lib/tags/mutations';
import { countHit } from '@/lib/rate-limit';
import { parseInput } from '@/lib/users/schemas';
import { queueWebhookEvent } from '@/lib/webhooks/events';
import { readMembersCsv } from './csv';
import { canManageMembers } from './policy';
import { checkConfirmation, checkUnsubscribe } from './signing';
import {
  addMemberSchema,
  confirmLinkSchema,
  HONEYPOT_FIELD,
  memberCsvSchema,
  memberIdSchema,
  subscribeSchema,
  unsubscribeLinkSchema,
  type AddMemberInput,
  type SubscribeInput,
} from './schemas';

/** Sign-ups one client address may make per hour (rate_limits, a fixed window). */
export const SIGNUPS_PER_HOUR = 10;

const confirmationJobKey = (memberId: string) => `member_confirmation:${memberId}`;

/** Queues the confirmation mail (lib/members/confirmation.ts) in the transaction that asked for it. */
async function queueConfirmation(tx: Tx, memberId: string): Promise<void> {
  await addJob(tx, 'member_confirmation', { memberId }, { jobKey: confirmationJobKey(memberId), maxAttempts: 8 });
}

type SubscribedMember = { id: string; email: string; name: string; status: string; source: string; consentAt: Date | null };

/** member.subscribed for webhooks, once per consent (the key names it). */
async function announceSubscribed(tx: Tx, member: SubscribedMember): Promise<void> {
  const { id, email, name, status, source } = member;
  await queueWebhookEvent(tx, 'member.subscribed', `member.subscribed:${id}:${member.consentAt!.getTime()}`, { member: { id, email, name, status, source } });
}

const subscribedColumns = { id: members.id, email: members.email, name: members.name, status: members.status, source: members.source, consentAt: members.consentAt };

export type SubscribeOutcome = 'sent' | 'rate-limited';

/**
 * A reader's sign-up (public). The answer is the same for a new address, a pending one and a
 * subscribed one ("check your inbox"), so the form cannot tell who is a member; a bot that fills the
 * honeypot gets it too and nothing happens. A new or lapsed address becomes `pending` with one
 * confirmation mail, at most one per address per hour; a subscribed member gets nothing.
 * Throws ValidationError for a malformed address (nothing is counted or stored).
 */
export async function subscribe(input: SubscribeInput, client: { ip: string }): Promise<SubscribeOutcome> {
  const { email, name, [HONEYPOT_FIELD]: honeypot } = parseInput(subscribeSchema, input);
  if (honeypot) return 'sent';
  if ((await countHit(`subscribe:ip:${client.ip}`, 60)) > SIGNUPS_PER_HOUR) return 'rate-limited';
  await getDb().transaction(async (tx) => {
    const [created] = await tx
      .insert(members)
      .values({ email, name, status: 'pending', source: 'form', confirmationSentAt: sql`now()` })
      .onConflictDoNothing({ target: members.email })
      .returning({ id: members.id });
    if (created) return queueConfirmation(tx, created.id);
    const [known] = await tx
      .select({ id: members.id, status: members.status, recent: sql<boolean>`coalesce(${members.confirmationSentAt} > now() - interval '1 hour', false)` })
      .from(members)
      .where(eq(members.email, email))
      .for('update');
    if (!known || known.status === 'subscribed' || known.recent) return;
    await tx
      .update(members)
      .set({ status: 'pending', confirmationSentAt: sql`now()`, updatedAt: sql`now()`, ...(name ? { name } : {}) })
      .where(eq(members.id, known.id));
    await queueConfirmation(tx, known.id);
  });
  return 'sent';
}

export type ConfirmOutcome = 'confirmed' | 'expired' | 'invalid';

/**
 * Following a confirmation link (public, signed: ./signing.ts). A pending member becomes
 * `subscribed` (consent now) and member.subscribed fires; again, or already subscribed: confirmed,
 * nothing more. Forged, for someone gone or no longer pending: invalid; too old: expired. Only a
 * valid link for a pending member changes anything.
 */
export async function confirmSubscription(link: Record<string, unknown>): Promise<ConfirmOutcome> {
  const parsed = confirmLinkSchema.safeParse(link);
  if (!parsed.success) return 'invalid';
  const { m, x, s } = parsed.data;
  const check = checkConfirmation(env().AUTH_SECRET, { memberId: m, expires: x, signature: s });
  if (check === 'invalid') return 'invalid';
  return getDb().transaction(async (tx) => {
    const [member] = await tx.select({ status: members.status }).from(members).where(eq(members.id, m)).for('update');
    if (!member) return 'invalid';
    if (member.status === 'subscribed') return 'confirmed';
    if (check === 'expired') return 'expired';
    if (member.status !== 'pending') return 'invalid';
    const [row] = await tx
      .update(members)
      .set({ status: 'subscribed', consentAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(members.id, m))
      .returning(subscribedColumns);
    await announceSubscribed(tx, row);
    return 'confirmed';
  });
}

/**
 * An unsubscribe link (public, signed, never expires): a subscribed or pending member becomes
 * `unsubscribed`. Idempotent; a valid link for a member since deleted is answered the same way.
 */
export async function unsubscribeMember(link: Record<string, unknown>): Promise<'unsubscribed' | 'invalid'> {
  const parsed = unsubscribeLinkSchema.safeParse(link);
  if (!parsed.success || !checkUnsubscribe(env().AUTH_SECRET, parsed.data.m, parsed.data.s)) return 'invalid';
  await getDb()
    .update(members)
    .set({ status: 'unsubscribed', unsubscribedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(members.id, parsed.data.m), inArray(members.status, ['subscribed', 'pending'])));
  return 'unsubscribed';
}

async function requireMemberManager(): Promise<Viewer> {
  const viewer = await requireViewer();
  if (!canManageMembers(viewer.role)) throw new ForbiddenError();
  return viewer;
}

/** Editors and admins: adds one member; subscribed at once only when the editor says they agreed, else pending with a confirmation mail. */
export async function addMember(input: AddMemberInput): Promise<{ id: string; status: 'subscribed' | 'pending' }> {
  const viewer = await requireMemberManager();
  const { email, name, consent } = parseInput(addMemberSchema, input);
  const status = consent ? 'subscribed' : 'pending';
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .insert(members)
      .values({ email, name, status, source: 'admin', ...(consent ? { consentAt: sql`now()` } : { confirmationSentAt: sql`now()` }) })
      .onConflictDoNothing({ target: members.email })
      .returning(subscribedColumns);
    if (!row) throw new ValidationError('That address is already a member.', 'email');
    if (consent) await announceSubscribed(tx, row);
    else await queueConfirmation(tx, row.id);
    await recordAudit({ actorId: viewer.id, action: 'member.create', targetType: 'member', targetId: row.id, detail: { status, source: 'admin' } }, tx);
    return { id: row.id, status };
  });
}

/**
 * Editors and admins: erases a member (GDPR): the row goes, their newsletter deliveries with it
 * (cascade), and any confirmation mail still waiting. The audit entry names the id, never the address.
 */
export async function deleteMember(input: { id: string }): Promise<void> {
  const viewer = await requireMemberManager();
  const { id } = parseInput(memberIdSchema, input);
  await getDb().transaction(async (tx) => {
    const [row] = await tx.delete(members).where(eq(members.id, id)).returning({ status: members.status });
    if (!row) throw new NotFoundError('That member no longer exists.');
    await removeJob(tx, confirmationJobKey(id));
    await recordAudit({ actorId: viewer.id, action: 'member.delete', targetType: 'member', targetId: id, detail: { status: row.status } }, tx);
  });
}

const INSERT_CHUNK = 1000;
const MAX_REPORTED = 10;

export type MemberImportResult = { lines: number; subscribed: number; pending: number; other: number; skipped: number };

function refuse(problems: string[]): never {
  const more = problems.length > MAX_REPORTED ? ' …and more: fix these first.' : '';
  throw new ValidationError(`Nothing was imported. ${problems.slice(0, MAX_REPORTED).join(' ')}${more}`, 'csv');
}

/**
 * Editors and admins: imports a CSV of members (./csv.ts), all or nothing: every line is checked
 * first and any problem names its line and writes nothing. A row with a consent date is subscribed
 * without a mail (member.subscribed fires); one without is pending and gets a confirmation mail.
 * An address that is already a member is left as it is (an import never resubscribes anyone).
 */
export async function importMembersCsv(input: { csv: string }): Promise<MemberImportResult> {
  const viewer = await requireMemberManager();
  const { csv } = parseInput(memberCsvSchema, input);
  const { rows, problems } = readMembersCsv(csv);
  if (problems.length > 0) refuse(problems);
  return getDb().transaction(async (tx) => {
    const now = new Date();
    const counts = { subscribed: 0, pending: 0, other: 0 };
    for (let at = 0; at < rows.length; at += INSERT_CHUNK) {
      const created = await tx
        .insert(members)
        .values(
          rows.slice(at, at + INSERT_CHUNK).map((row) => ({
            email: row.email,
            name: row.name,
            status: row.status,
            source: 'import',
            consentAt: row.consentAt,
            confirmationSentAt: row.status === 'pending' ? now : null,
            unsubscribedAt: row.status === 'unsubscribed' ? now : null,
          })),
        )
        .onConflictDoNothing({ target: members.email })
        .returning(subscribedColumns);
      for (const member of created) {
        if (member.status === 'subscribed') {
          counts.subscribed += 1;
          await announceSubscribed(tx, member);
        } else if (member.status === 'pending') {
          counts.pending += 1;
          await queueConfirmation(tx, member.id);
        } else counts.other += 1;
      }
    }
    const skipped = rows.length - counts.subscribed - counts.pending - counts.other;
    const result = { lines: rows.length, ...counts, skipped };
    await recordAudit({ actorId: viewer.id, action: 'member.import', targetType: 'member', detail: result }, tx);
    return result;
  });
}
