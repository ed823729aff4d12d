/**
 * Sending a post by email, against a real SMTP server (tests/support/smtp.ts) and the real job queue:
 * one message per subscriber per post, whatever runs twice, in parallel, late or after a crash.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { env } from '@/lib/env';
import { members, newsletterDeliveries, newsletters, posts } from '@/db/schema';
import { closeMail } from '@/lib/mail/transport';
import { getNewsletterSummary } from '@/lib/newsletters/queries';
import { MAX_ATTEMPTS, runNewsletterSend } from '@/lib/newsletters/send';
import { runNewsletterSweep } from '@/lib/newsletters/sweep';
import { runPostLive } from '@/lib/posts/live';
import { publishPost, savePost, schedulePost, unpublishPost } from '@/lib/posts/mutations';
import { fieldsOf, insertCast, insertPost, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';
import { queuedJobs, runDueJobs } from '../support/jobs';
import { startSmtpServer, type TestSmtp } from '../support/smtp';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let smtp: TestSmtp;
let cast: Cast;

beforeAll(async () => {
  smtp = await startSmtpServer();
  // Read once by lib/env on first use, which comes after this.
  process.env.SMTP_URL = smtp.url;
});

afterAll(async () => {
  closeMail();
  await smtp.close();
});

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(cast.E);
  smtp.received.length = 0;
  smtp.refuse.clear();
  smtp.hold = null;
  smtp.onData = null;
});

async function subscribers(count: number, prefix = 'reader'): Promise<{ id: string; email: string }[]> {
  const rows = Array.from({ length: count }, (_, i) => ({ email: `${prefix}${i}@example.test`, name: `Reader ${i}`, status: 'subscribed' as const }));
  return getDb().insert(members).values(rows).returning({ id: members.id, email: members.email });
}

/** A draft published by the editor with "Also send by email" ticked, through the normal save path. */
async function publishWithEmail(title?: string) {
  const post = await insertPost({ author: cast.E, status: 'draft', title });
  const change = await publishPost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { sendEmail: true }) });
  return { ...post, version: change.post.version, slug: change.post.slug };
}

/** How many messages each address received. */
const perRecipient = () => {
  const counts = new Map<string, number>();
  for (const message of smtp.received) for (const to of message.envelope.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
};

const newsletterOf = async (postId: string) => (await getDb().select().from(newsletters).where(eq(newsletters.postId, postId)))[0];
const deliveryStatuses = async (postId: string) =>
  (await getDb().select({ status: newsletterDeliveries.status }).from(newsletterDeliveries).where(eq(newsletterDeliveries.postId, postId)))
    .map((row) => row.status)
    .sort();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a post sent by email', () => {
  it('reaches every subscriber once, never pending or unsubscribed members, with the headers mail clients need', async () => {
    const readers = await subscribers(3);
    await getDb()
      .insert(members)
      .values([
        { email: 'pending@example.test', status: 'pending' },
        { email: 'gone@example.test', status: 'unsubscribed' },
      ]);
    const post = await publishWithEmail('Spring issue');
    expect(await getDb().select({ sendEmail: posts.sendEmail }).from(posts).where(eq(posts.id, post.id))).toEqual([{ sendEmail: true }]);
    await runDueJobs();

    expect([...perRecipient()].sort()).toEqual(readers.map((r) => [r.email, 1]).sort());
    const newsletter = await newsletterOf(post.id);
    expect(newsletter).toMatchObject({ status: 'sent', recipients: 3 });
    expect(newsletter.finishedAt).toBeInstanceOf(Date);
    expect(await deliveryStatuses(post.id)).toEqual(['sent', 'sent', 'sent']);

    const reader = readers[0];
    const message = smtp.received.find((m) => m.envelope.to[0] === reader.email)!;
    expect(message.header('subject')).toBe('Spring issue');
    expect(message.header('from')).toMatch(/<noreply@localhost>$/);
    expect(message.header('to')).toBe('Reader 0 <reader0@example.test>');
    expect(message.header('list-id')).toBe('<newsletter.localhost>');
    expect(message.header('message-id')).toBe(`<newsletter.${post.id}.${reader.id}@localhost>`);
    expect(message.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = new RegExp(`^<(${escapeRegExp(env().SITE_URL)}/unsubscribe\\?m=[^>]+)>$`).exec(message.header('list-unsubscribe') ?? '')?.[1];
    expect(unsubscribe).toContain(`m=${reader.id}`);
    // The same link, visible in both parts (escaped in the HTML), and the post on the web.
    expect(message.html).toContain(`href="${unsubscribe!.replace(/&/g, '&amp;')}"`);
    expect(message.text).toContain(`Unsubscribe: ${unsubscribe}`);
    expect(message.html).toMatch(new RegExp(`href="${escapeRegExp(env().SITE_URL)}/posts/${post.slug}"[^>]*>View on the web</a>`));
    expect(message.text).toContain(`View on the web: ${env().SITE_URL}/posts/${post.slug}`);
    // Others' links are theirs alone.
    expect(message.html).not.toContain(readers[1].id);
  });

  it('editing, unpublishing and publishing again after the send never send again', async () => {
    await subscribers(2);
    const post = await publishWithEmail();
    await runDueJobs();
    expect(smtp.received).toHaveLength(2);
    const edited = await savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { title: 'Edited', sendEmail: true }), autosave: false });
    const unpublished = await unpublishPost(post.id);
    await publishPost({ id: post.id, baseVersion: unpublished.post.version, fields: fieldsOf(post, { sendEmail: true }) });
    await runDueJobs();
    await runPostLive({ postId: post.id });
    await runNewsletterSend({ postId: post.id });
    await runNewsletterSweep();
    await runDueJobs();
    expect(smtp.received).toHaveLength(2);
    expect(edited.post.fields.sendEmail).toBe(true);
    expect((await newsletterOf(post.id)).status).toBe('sent');
  });

  it('two workers and two senders at once: each subscriber gets exactly one message', async () => {
    const readers = await subscribers(90);
    const post = await publishWithEmail();
    await runPostLive({ postId: post.id });
    await Promise.all([runDueJobs(), runDueJobs(), runNewsletterSend({ postId: post.id }), runNewsletterSend({ postId: post.id })]);
    const counts = perRecipient();
    expect(counts.size).toBe(90);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(smtp.received).toHaveLength(readers.length);
    expect((await newsletterOf(post.id)).status).toBe('sent');
  });

  it('a scheduled post whose time passed while no worker ran is sent once when one runs', async () => {
    await subscribers(2);
    const post = await insertPost({ author: cast.E, status: 'draft' });
    const at = new Date(Date.now() + 3_600_000);
    await schedulePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { sendEmail: true }), publishAt: at });
    await runDueJobs();
    expect(smtp.received).toHaveLength(0);
    // The hour passes with no worker running.
    const past = new Date(Date.now() - 60_000);
    await getDb().update(posts).set({ publishAt: past }).where(eq(posts.id, post.id));
    await getDb().execute(sql`update graphile_worker._private_jobs set run_at = ${past}`);
    await runDueJobs();
    await runDueJobs();
    expect(smtp.received).toHaveLength(2);
    expect((await newsletterOf(post.id)).status).toBe('sent');
  });

  it('a sender that died mid-send: its expired leases and abandoned chunk are finished by another, without duplicates or skips', async () => {
    const readers = await subscribers(30);
    const post = await publishWithEmail();
    await runPostLive({ postId: post.id });
    await getDb().execute(sql`delete from graphile_worker._private_jobs`); // its senders' jobs are stuck with the dead worker
    // A dead sender's claims: a chunk claimed, leased and abandoned; one delivery it was sending; one a live sender still holds.
    const ids = readers.map((r) => r.id);
    await getDb().execute(sql`update newsletter_deliveries set status = 'sending', attempts = 1, lease_until = now() - interval '1 second'
                               where member_id in (${sql.join(
                                 ids.slice(0, 20).map((id) => sql`${id}`),
                                 sql`, `,
                               )})`);
    await getDb().execute(sql`update newsletter_deliveries set status = 'sending', attempts = 1, lease_until = now() + interval '1 hour'
                               where member_id = ${ids[29]}`);
    await runNewsletterSweep();
    expect((await queuedJobs()).map((job) => job.key)).toEqual([`newsletter_send:${post.id}:sweep`]);
    await runDueJobs();
    expect(smtp.received).toHaveLength(29);
    expect(perRecipient().has(readers[29].email)).toBe(false);
    expect((await newsletterOf(post.id)).status).toBe('sending');
    // The live sender's lease runs out too (it died as well): the next sweep finishes the newsletter.
    await getDb().execute(sql`update newsletter_deliveries set lease_until = now() - interval '1 second' where status = 'sending'`);
    await runNewsletterSweep();
    await runDueJobs();
    const counts = perRecipient();
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect((await newsletterOf(post.id)).status).toBe('sent');
    const attempts = await getDb().execute<{ attempts: number }>(sql`select max(attempts)::int as attempts from newsletter_deliveries`);
    expect(attempts.rows[0].attempts).toBe(2);
  });

  it('a member who unsubscribes or is removed after the newsletter started is skipped', async () => {
    const [stays, leaves, removed] = await subscribers(3);
    const post = await publishWithEmail();
    await runPostLive({ postId: post.id });
    await getDb().update(members).set({ status: 'unsubscribed' }).where(eq(members.id, leaves.id));
    await getDb().delete(members).where(eq(members.id, removed.id));
    await runDueJobs();
    expect([...perRecipient().keys()]).toEqual([stays.email]);
    expect((await newsletterOf(post.id)).status).toBe('sent');
    expect(await getNewsletterSummary(post.id)).toMatchObject({ state: 'sent', recipients: 3, sent: 1, failed: 0, pending: 0, skipped: 2 });
  });
});

describe('refusals and retries', () => {
  it('a permanent refusal fails at once; a temporary one is retried and fails after the last attempt; the editor sees why', async () => {
    const [refused, busy] = await subscribers(2);
    smtp.refuse.set(refused.email, 550);
    smtp.refuse.set(busy.email, 451);
    const post = await publishWithEmail();
    await runDueJobs();
    const rows = async () =>
      (await getDb().select().from(newsletterDeliveries).orderBy(newsletterDeliveries.memberId)).map((row) => ({
        member: row.memberId,
        status: row.status,
        attempts: row.attempts,
        error: row.error,
      }));
    expect(await rows()).toEqual(
      expect.arrayContaining([
        { member: refused.id, status: 'failed', attempts: 1, error: expect.stringMatching(/^550 .*No such user here/) },
        { member: busy.id, status: 'pending', attempts: 1, error: expect.stringMatching(/^451 .*try later/) },
      ]),
    );
    // A retry waits for its time; the sender queued itself for then.
    expect((await queuedJobs()).some((job) => job.key === `newsletter_send:${post.id}:retry` && job.runAt > new Date())).toBe(true);
    expect(await getNewsletterSummary(post.id)).toMatchObject({ state: 'sending', sent: 0, failed: 1, pending: 1 });
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await getDb().execute(sql`update newsletter_deliveries set lease_until = now() - interval '1 second' where status = 'pending'`);
      await runNewsletterSend({ postId: post.id });
    }
    expect((await rows()).find((row) => row.member === busy.id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect((await newsletterOf(post.id)).status).toBe('failed');
    expect(smtp.received).toHaveLength(0);
    const summary = await getNewsletterSummary(post.id);
    expect(summary).toMatchObject({ state: 'failed', sent: 0, failed: 2, pending: 0 });
    expect(summary!.failures.map((f) => f.email).sort()).toEqual([busy.email, refused.email].sort());
    // An author sees the reasons, not the members' addresses.
    signInAs(cast.A);
    await expect(getNewsletterSummary(post.id)).rejects.toThrow(/cannot see it/);
    const own = await insertPost({ author: cast.A, status: 'published' });
    await getDb().insert(newsletters).values({ postId: own.id, subject: 'x', status: 'failed', recipients: 1 });
    await getDb().insert(newsletterDeliveries).values({ postId: own.id, memberId: busy.id, status: 'failed', attempts: 1, error: 'Refused' });
    expect((await getNewsletterSummary(own.id))!.failures).toEqual([{ email: null, error: 'Refused' }]);
  });
});

describe('mail headers from hostile data', () => {
  it('a title or a name with CR/LF cannot make a header: one Subject, no Bcc, one recipient', async () => {
    const [member] = await getDb()
      .insert(members)
      .values({ email: 'victim@example.test', name: 'Eve\r\nBcc: evil2@example.test', status: 'subscribed' })
      .returning();
    const post = await insertPost({ author: cast.E, status: 'draft', title: 'Hi\r\nBcc: evil@x' });
    await publishPost({ id: post.id, baseVersion: post.version, fields: { ...fieldsOf(post), title: 'Hi\r\nBcc: evil@x', sendEmail: true } });
    await runDueJobs();
    expect(smtp.received).toHaveLength(1);
    const [message] = smtp.received;
    expect(message.envelope.to).toEqual([member.email]);
    expect(message.headerLines.filter(([name]) => name === 'subject')).toHaveLength(1);
    expect(message.headerLines.filter(([name]) => name === 'bcc' || name === 'cc')).toEqual([]);
    expect(message.header('subject')).toBe('Hi Bcc: evil@x');
    expect(message.headerLines.filter(([name]) => name === 'to')).toHaveLength(1);
    expect(message.header('to')).toBe('"Eve Bcc: evil2@example.test" <victim@example.test>');
  });
});

describe('"Also send by email" on the post form', () => {
  it('authors and up choose it for posts; contributors and pages cannot; once sent it stays as it was', async () => {
    const sendEmailOf = async (id: string) => (await getDb().select({ v: posts.sendEmail }).from(posts).where(eq(posts.id, id)))[0].v;
    signInAs(cast.C);
    const mine = await insertPost({ author: cast.C, status: 'draft' });
    const saved = await savePost({ id: mine.id, baseVersion: mine.version, fields: fieldsOf(mine, { sendEmail: true }), autosave: false });
    expect(await sendEmailOf(mine.id)).toBe(false);
    signInAs(cast.A);
    const own = await insertPost({ author: cast.A, status: 'draft' });
    const ticked = await savePost({ id: own.id, baseVersion: own.version, fields: fieldsOf(own, { sendEmail: true }), autosave: true });
    expect(ticked.post.fields.sendEmail).toBe(true);
    // A save that does not mention it (an API client, an import) leaves it alone.
    await savePost({ id: own.id, baseVersion: ticked.post.version, fields: fieldsOf(own), autosave: false });
    expect(await sendEmailOf(own.id)).toBe(true);
    signInAs(cast.E);
    const page = await insertPost({ author: cast.E, status: 'draft', kind: 'page' });
    await savePost({ id: page.id, baseVersion: page.version, fields: fieldsOf(page, { sendEmail: true }), autosave: false });
    expect(await sendEmailOf(page.id)).toBe(false);
    // The editor may choose it on the contributor's post; the contributor's next save does not undo it.
    await savePost({ id: mine.id, baseVersion: saved.post.version, fields: fieldsOf(mine, { sendEmail: true }), autosave: false });
    expect(await sendEmailOf(mine.id)).toBe(true);
    // Sent: unticking changes nothing.
    await subscribers(1);
    const sent = await publishWithEmail();
    await runDueJobs();
    await savePost({ id: sent.id, baseVersion: sent.version, fields: fieldsOf(sent, { sendEmail: false }), autosave: false });
    expect(await sendEmailOf(sent.id)).toBe(true);
  });
});

describe('MAIL_RATE', () => {
  it('is respected, roughly: 30 messages at 20 a second take about a second and a half', async () => {
    await subscribers(30);
    const post = await publishWithEmail();
    await runPostLive({ postId: post.id });
    const started = performance.now();
    await runNewsletterSend({ postId: post.id }, { rate: 20 });
    const seconds = (performance.now() - started) / 1000;
    expect(smtp.received).toHaveLength(30);
    // A tenth of a second's burst (2), then one every 50 ms: at least 1.4 s.
    expect(seconds).toBeGreaterThan(1.3);
    expect(seconds).toBeLessThan(6);
  });
});
