import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, members, rateLimits, webhookDeliveries, webhooks } from '@/db/schema';
import { POST as subscribePost } from '@/app/api/subscribe/route';
import { GET as confirmGet } from '@/app/(site)/subscribe/confirm/route';
import { GET as unsubscribeGet, POST as unsubscribePost } from '@/app/(site)/unsubscribe/route';
import { GET as exportGet } from '@/app/editor/members/export/route';
import { AuthError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { env } from '@/lib/env';
import { closeMail } from '@/lib/mail/transport';
import { confirmationUrl, listUnsubscribeHeaders, unsubscribeUrl } from '@/lib/members/links';
import { addMember, deleteMember, importMembersCsv, SIGNUPS_PER_HOUR, subscribe } from '@/lib/members/mutations';
import { countMembers, exportMembersCsv, listMembers, MEMBERS_PER_PAGE } from '@/lib/members/queries';
import { insertCast, refused, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';
import { queuedJobs, runDueJobs } from '../support/jobs';
import { startSmtpSink, type SmtpSink } from '../support/smtp-members';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let smtp: SmtpSink;
let cast: Cast;
let ipCounter = 0;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // Before the first env(): lib/env.ts parses the environment once.
  process.env.SMTP_URL = smtp.url;
  expect(env().SMTP_URL).toBe(smtp.url);
});
afterAll(async () => {
  closeMail();
  await smtp.close();
});
beforeEach(async () => {
  await resetDatabase();
  smtp.messages.length = 0;
  cast = await insertCast();
  signInAs(null);
});

const origin = () => new URL(env().SITE_URL).origin;
const freshIp = () => `198.51.100.${++ipCounter}`;

/** The reader's form as the browser posts it. */
function formPost(fields: Record<string, string>, options: { ip?: string; origin?: string | null } = {}): Request {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': options.ip ?? freshIp() };
  if (options.origin !== null) headers.origin = options.origin ?? origin();
  return new Request(`${origin()}/api/subscribe`, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
}
const location = (response: Response) => response.headers.get('location');

async function memberRows() {
  return getDb()
    .select({ id: members.id, email: members.email, name: members.name, status: members.status, source: members.source, consentAt: members.consentAt })
    .from(members)
    .orderBy(asc(members.email));
}
async function state() {
  const [rows, jobs, limits, audit] = await Promise.all([
    memberRows(),
    queuedJobs(),
    getDb().select().from(rateLimits),
    getDb().select({ action: auditLog.action }).from(auditLog),
  ]);
  return { rows, jobs: jobs.map((job) => job.key), limits, audit };
}
/** The confirmation links in the mails sent to `to`. */
function linksFor(to: string): string[] {
  // Each mail has the link twice (text and HTML, where & is &#38;): one per mail.
  return smtp.messages
    .filter((mail) => mail.to.includes(to))
    .flatMap((mail) => [
      ...new Set((mail.body.match(/https?:\/\/[^\s"<>]+\/subscribe\/confirm\?[^\s"<>]+/g) ?? []).map((link) => link.replace(/&(amp|#38);/g, '&'))),
    ]);
}
async function addWebhook() {
  await getDb()
    .insert(webhooks)
    .values({ url: 'http://127.0.0.1:9/hook', events: ['member.subscribed'], secret: 'x'.repeat(32) });
}
async function deliveries() {
  return getDb().select({ event: webhookDeliveries.event, key: webhookDeliveries.eventKey, payload: webhookDeliveries.payload }).from(webhookDeliveries);
}

describe('double opt-in, end to end through a real SMTP server', () => {
  it('one confirmation mail; the link subscribes once and fires member.subscribed; an hour between mails', async () => {
    await addWebhook();
    const response = await subscribePost(formPost({ email: ' Reader@Example.COM ', name: 'Rea Der', website: '' }));
    expect(response.status).toBe(303);
    expect(location(response)).toBe('/subscribe/sent');
    expect(await memberRows()).toMatchObject([{ email: 'reader@example.com', name: 'Rea Der', status: 'pending', source: 'form', consentAt: null }]);
    expect(smtp.messages).toHaveLength(0); // sent by the job, after the commit
    await runDueJobs();
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail.to).toEqual(['reader@example.com']);
    expect(mail.subject).toMatch(/^Confirm your subscription to /);
    expect(mail.body).not.toContain('Rea Der');
    const [link] = linksFor('reader@example.com');
    expect(link.startsWith(`${env().SITE_URL}/subscribe/confirm?`)).toBe(true);

    // Signing up again within the hour, pending: the same answer, no second mail.
    expect(location(await subscribePost(formPost({ email: 'reader@example.com' })))).toBe('/subscribe/sent');
    await runDueJobs();
    expect(smtp.messages).toHaveLength(1);

    const confirm = await confirmGet(new Request(link));
    expect(location(confirm)).toBe('/subscribe/confirmed');
    const [member] = await memberRows();
    expect(member).toMatchObject({ status: 'subscribed' });
    expect(member.consentAt).toBeInstanceOf(Date);
    const fired = await deliveries();
    expect(fired).toEqual([
      {
        event: 'member.subscribed',
        key: `member.subscribed:${member.id}:${member.consentAt!.getTime()}`,
        payload: expect.objectContaining({
          event: 'member.subscribed',
          data: { member: { id: member.id, email: 'reader@example.com', name: 'Rea Der', status: 'subscribed', source: 'form' } },
        }),
      },
    ]);

    // Idempotent: the link again changes nothing and fires nothing.
    expect(location(await confirmGet(new Request(link)))).toBe('/subscribe/confirmed');
    expect((await memberRows())[0].consentAt).toEqual(member.consentAt);
    expect(await deliveries()).toHaveLength(1);

    // A subscribed member signing up again: the same answer, and no mail even after the hour.
    await getDb()
      .update(members)
      .set({ confirmationSentAt: sql`now() - interval '2 hours'` });
    expect(location(await subscribePost(formPost({ email: 'reader@example.com' })))).toBe('/subscribe/sent');
    await runDueJobs();
    expect(smtp.messages).toHaveLength(1);
  });

  it('a pending address gets a second mail only after an hour', async () => {
    await subscribe({ email: 'late@example.com' }, { ip: freshIp() });
    await runDueJobs();
    await subscribe({ email: 'late@example.com' }, { ip: freshIp() });
    await runDueJobs();
    expect(linksFor('late@example.com')).toHaveLength(1);
    await getDb()
      .update(members)
      .set({ confirmationSentAt: sql`now() - interval '61 minutes'` });
    await subscribe({ email: 'late@example.com' }, { ip: freshIp() });
    await runDueJobs();
    expect(linksFor('late@example.com')).toHaveLength(2);
  });

  it('expired and forged links get their page and change nothing', async () => {
    await addWebhook();
    await subscribe({ email: 'slow@example.com' }, { ip: freshIp() });
    const [{ id }] = await memberRows();
    const before = await state();
    const old = confirmationUrl(id, Date.now() - 49 * 3600 * 1000);
    expect(location(await confirmGet(new Request(old)))).toBe('/subscribe/expired');
    const good = new URL(confirmationUrl(id));
    const forged = new URL(good);
    forged.searchParams.set('x', String(Number(good.searchParams.get('x')) + 3600));
    expect(location(await confirmGet(new Request(forged)))).toBe('/subscribe/invalid');
    const other = new URL(good);
    other.searchParams.set('m', '00000000-0000-4000-8000-000000000000');
    expect(location(await confirmGet(new Request(other)))).toBe('/subscribe/invalid');
    expect(location(await confirmGet(new Request(`${origin()}/subscribe/confirm?m=x&s=y`)))).toBe('/subscribe/invalid');
    expect(await state()).toEqual(before);
    expect(await deliveries()).toEqual([]);
  });

  it('malformed and hostile addresses are refused with their reason and change nothing', async () => {
    const before = await state();
    for (const [email, code] of [
      ['ada@example.com\r\nBcc: victim@example.com', 'control'],
      ['a@example.com, b@example.com', 'several'],
      ['Ada <ada@example.com>', 'named'],
      ['not an address', 'several'],
      ['nope', 'invalid'],
      [`${'a'.repeat(300)}@example.com`, 'long'],
    ]) {
      expect(location(await subscribePost(formPost({ email })))).toBe(`/subscribe?error=${code}`);
    }
    expect(location(await subscribePost(formPost({ email: 'ok@example.com', name: 'x'.repeat(200) })))).toBe('/subscribe?error=name');
    const after = await state();
    // The refused posts were not even counted against their addresses.
    expect(after).toEqual(before);
    expect(smtp.messages).toHaveLength(0);
  });

  it('the honeypot: a bot gets the same answer and nothing is stored or sent', async () => {
    const before = await state();
    const response = await subscribePost(formPost({ email: 'bot@example.com', website: 'http://spam.example' }));
    expect(location(response)).toBe('/subscribe/sent');
    await runDueJobs();
    expect(await state()).toEqual(before);
    expect(smtp.messages).toHaveLength(0);
  });

  it('a cross-site post is refused', async () => {
    const response = await subscribePost(formPost({ email: 'x@example.com' }, { origin: 'https://evil.example' }));
    expect(response.status).toBe(403);
    expect(await memberRows()).toEqual([]);
  });

  it(`at most ${SIGNUPS_PER_HOUR} sign-ups per client address per hour`, async () => {
    const ip = '203.0.113.9';
    for (let n = 0; n < SIGNUPS_PER_HOUR; n += 1) {
      expect(location(await subscribePost(formPost({ email: `r${n}@example.com` }, { ip })))).toBe('/subscribe/sent');
    }
    expect(location(await subscribePost(formPost({ email: 'one-more@example.com' }, { ip })))).toBe('/subscribe?error=too-many');
    expect(location(await subscribePost(formPost({ email: 'other-ip@example.com' }, { ip: '203.0.113.10' })))).toBe('/subscribe/sent');
    expect((await memberRows()).map((row) => row.email)).not.toContain('one-more@example.com');
    expect(await memberRows()).toHaveLength(SIGNUPS_PER_HOUR + 1);
    // A new window after the hour.
    await getDb()
      .update(rateLimits)
      .set({ windowStartedAt: sql`now() - interval '61 minutes'` });
    expect(location(await subscribePost(formPost({ email: 'one-more@example.com' }, { ip })))).toBe('/subscribe/sent');
  });
});

describe('unsubscribing', () => {
  async function subscribed(email: string) {
    signInAs(cast.E);
    const { id } = await addMember({ email, consent: true });
    signInAs(null);
    return id;
  }
  const statusOf = async (id: string) => (await getDb().select({ status: members.status }).from(members).where(eq(members.id, id)))[0]?.status;

  it('by the link: GET only asks, the button unsubscribes, again is harmless', async () => {
    const id = await subscribed('leaver@example.com');
    const url = unsubscribeUrl(id);
    expect(url.startsWith(`${env().SITE_URL}/unsubscribe?m=${id}&s=`)).toBe(true);
    const ask = await unsubscribeGet(new Request(url));
    expect(ask.status).toBe(303);
    expect(location(ask)).toMatch(/^\/unsubscribe\/confirm\?m=/);
    expect(await statusOf(id)).toBe('subscribed');
    const post = () => unsubscribePost(new Request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }));
    expect(location(await post())).toBe('/unsubscribe/done');
    expect(await statusOf(id)).toBe('unsubscribed');
    expect(location(await post())).toBe('/unsubscribe/done');
    expect(await statusOf(id)).toBe('unsubscribed');
  });

  it('RFC 8058 one-click: the header URL takes List-Unsubscribe=One-Click and answers 200', async () => {
    const id = await subscribed('oneclick@example.com');
    const headers = listUnsubscribeHeaders(id);
    expect(headers).toEqual({ 'List-Unsubscribe': `<${unsubscribeUrl(id)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    const url = headers['List-Unsubscribe'].slice(1, -1);
    const click = () =>
      unsubscribePost(new Request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }));
    const response = await click();
    expect(response.status).toBe(200);
    expect(await statusOf(id)).toBe('unsubscribed');
    expect((await click()).status).toBe(200);
  });

  it('a forged link changes nothing', async () => {
    const id = await subscribed('stays@example.com');
    const other = await subscribed('other@example.com');
    const forged = new URL(unsubscribeUrl(other));
    forged.searchParams.set('m', id);
    const response = await unsubscribePost(
      new Request(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    );
    expect(response.status).toBe(400);
    expect(location(await unsubscribeGet(new Request(forged)))).toBe('/unsubscribe/invalid');
    expect(location(await unsubscribePost(new Request(forged, { method: 'POST', body: '' })))).toBe('/unsubscribe/invalid');
    expect(await statusOf(id)).toBe('subscribed');
    expect(await statusOf(other)).toBe('subscribed');
  });

  it('an unsubscribed member who signs up again is pending until they confirm again; an old confirmation link does not resubscribe them', async () => {
    await subscribe({ email: 'back@example.com' }, { ip: freshIp() });
    await runDueJobs();
    const [first] = linksFor('back@example.com');
    const [{ id }] = await memberRows();
    await unsubscribePost(new Request(unsubscribeUrl(id), { method: 'POST', body: '' }));
    expect(location(await confirmGet(new Request(first)))).toBe('/subscribe/invalid');
    expect(await statusOf(id)).toBe('unsubscribed');
    await getDb()
      .update(members)
      .set({ confirmationSentAt: sql`now() - interval '2 hours'` });
    await subscribe({ email: 'back@example.com' }, { ip: freshIp() });
    expect(await statusOf(id)).toBe('pending');
    await runDueJobs();
    const links = linksFor('back@example.com');
    expect(links).toHaveLength(2);
    expect(location(await confirmGet(new Request(links[1])))).toBe('/subscribe/confirmed');
    expect(await statusOf(id)).toBe('subscribed');
  });
});

describe('the editor: members', () => {
  it('editors and admins only; everyone else is refused and nothing changes', async () => {
    signInAs(cast.E);
    const { id } = await addMember({ email: 'kept@example.com', consent: true });
    const before = await state();
    for (const [who, Expected] of [
      [cast.A, ForbiddenError],
      [cast.C, ForbiddenError],
      [cast.D, AuthError],
      [null, AuthError],
    ] as const) {
      signInAs(who);
      expect(await refused(() => addMember({ email: 'x@example.com' }))).toBeInstanceOf(Expected);
      expect(await refused(() => deleteMember({ id }))).toBeInstanceOf(Expected);
      expect(await refused(() => importMembersCsv({ csv: 'y@example.com,,2024-01-01\n' }))).toBeInstanceOf(Expected);
      expect(await refused(() => listMembers())).toBeInstanceOf(Expected);
      expect(await refused(() => countMembers())).toBeInstanceOf(Expected);
      expect(await refused(() => exportMembersCsv())).toBeInstanceOf(Expected);
    }
    signInAs(cast.A);
    expect((await exportGet()).status).toBe(404);
    expect(await state()).toEqual(before);
    signInAs(cast.Z);
    expect((await listMembers()).items.map((item) => item.email)).toEqual(['kept@example.com']);
    const exported = await exportGet();
    expect(exported.status).toBe(200);
    expect(await exported.text()).toMatch(/^email,name,consent_at,status\r\nkept@example\.com,,\d{4}-.*Z,subscribed\r\n$/);
  });

  it('adding by hand: with consent subscribed (and member.subscribed), without it pending with one mail; audited without the address', async () => {
    await addWebhook();
    signInAs(cast.E);
    expect(await addMember({ email: 'Yes@Example.com', name: 'Yes', consent: 'on' as unknown as boolean })).toMatchObject({ status: 'subscribed' });
    expect(await addMember({ email: 'maybe@example.com' })).toMatchObject({ status: 'pending' });
    expect(await refused(() => addMember({ email: 'yes@example.com' }))).toBeInstanceOf(ValidationError);
    expect(await refused(() => addMember({ email: 'a@example.com\nb@example.com' }))).toBeInstanceOf(ValidationError);
    await runDueJobs();
    expect(smtp.messages.map((mail) => mail.to)).toEqual([['maybe@example.com']]);
    expect((await deliveries()).map((row) => row.event)).toEqual(['member.subscribed']);
    expect(await memberRows()).toMatchObject([
      { email: 'maybe@example.com', status: 'pending', source: 'admin' },
      { email: 'yes@example.com', status: 'subscribed', source: 'admin' },
    ]);
    const audit = await getDb().select().from(auditLog);
    expect(audit.map((row) => row.action)).toEqual(['member.create', 'member.create']);
    expect(JSON.stringify(audit)).not.toMatch(/example\.com/i);
  });

  it('CSV import: all or nothing; consent → subscribed without mail, none → pending with a mail; existing members left alone', async () => {
    await addWebhook();
    signInAs(cast.E);
    await addMember({ email: 'already@example.com', consent: false });
    await runDueJobs();
    smtp.messages.length = 0;
    const before = await state();
    const bad = await refused(() => importMembersCsv({ csv: 'email,name,consent_at\nfine@example.com,,2024-01-01\nbroken,,\n' }));
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad!.message).toContain('Line 3:');
    expect(await state()).toEqual(before);

    const result = await importMembersCsv({
      csv: 'email,name,consent_at,status\nconsented@example.com,Con,2024-01-25,\nunconfirmed@example.com,Un,,\ngone@example.com,,2023-05-01,unsubscribed\nALREADY@example.com,,2024-01-01,\n',
    });
    expect(result).toEqual({ lines: 4, subscribed: 1, pending: 1, other: 1, skipped: 1 });
    await runDueJobs();
    expect(smtp.messages.map((mail) => mail.to)).toEqual([['unconfirmed@example.com']]);
    expect(await memberRows()).toMatchObject([
      { email: 'already@example.com', status: 'pending', source: 'admin', consentAt: null },
      { email: 'consented@example.com', status: 'subscribed', source: 'import', consentAt: new Date('2024-01-25T00:00:00Z') },
      { email: 'gone@example.com', status: 'unsubscribed', source: 'import' },
      { email: 'unconfirmed@example.com', status: 'pending', source: 'import', consentAt: null },
    ]);
    const fired = await deliveries();
    expect(fired.map((row) => row.key)).toEqual([expect.stringMatching(new RegExp(`^member\\.subscribed:[0-9a-f-]{36}:${Date.UTC(2024, 0, 25)}$`))]);
    const audit = await getDb().select().from(auditLog).orderBy(asc(auditLog.id));
    expect(audit.at(-1)).toMatchObject({ action: 'member.import', detail: result });
    expect(JSON.stringify(audit)).not.toMatch(/example\.com/i);
  });

  it('delete erases the member and any waiting confirmation mail; audited without the address', async () => {
    signInAs(cast.E);
    const { id } = await addMember({ email: 'erase-me@example.com' });
    expect((await queuedJobs()).map((job) => job.key)).toEqual([`member_confirmation:${id}`]);
    await deleteMember({ id });
    expect(await memberRows()).toEqual([]);
    expect(await queuedJobs()).toEqual([]);
    await runDueJobs();
    expect(smtp.messages).toHaveLength(0);
    expect(await refused(() => deleteMember({ id }))).toBeInstanceOf(NotFoundError);
    const audit = await getDb().select().from(auditLog);
    expect(audit.map((row) => [row.action, row.targetId])).toEqual([
      ['member.create', id],
      ['member.delete', id],
    ]);
    expect(JSON.stringify(audit)).not.toContain('erase-me');
    // The member's unsubscribe link still answers, and changes nothing.
    expect(location(await unsubscribePost(new Request(unsubscribeUrl(id), { method: 'POST', body: '' })))).toBe('/unsubscribe/done');
    expect(await memberRows()).toEqual([]);
  });

  it('counts per status, search, status filter and keyset pages', async () => {
    signInAs(cast.Z);
    const csv = Array.from({ length: MEMBERS_PER_PAGE + 5 }, (_, n) => `m${String(n).padStart(3, '0')}@example.com,Name ${n},${n % 2 ? '2024-01-01' : ''},`).join(
      '\n',
    );
    await importMembersCsv({ csv });
    const odd = Math.floor((MEMBERS_PER_PAGE + 5) / 2);
    expect(await countMembers()).toEqual({ pending: MEMBERS_PER_PAGE + 5 - odd, subscribed: odd, unsubscribed: 0, bounced: 0, total: MEMBERS_PER_PAGE + 5 });
    const first = await listMembers();
    expect(first.items).toHaveLength(MEMBERS_PER_PAGE);
    const second = await listMembers({ after: first.nextAfter! });
    expect(second.nextAfter).toBeNull();
    const all = [...first.items, ...second.items].map((item) => item.email);
    expect(new Set(all).size).toBe(MEMBERS_PER_PAGE + 5);
    expect((await listMembers({ q: 'm007@' })).items.map((item) => item.email)).toEqual(['m007@example.com']);
    expect((await listMembers({ q: 'Name 1' })).items.length).toBeGreaterThan(1);
    expect((await listMembers({ q: '%' })).items).toEqual([]);
    const subscribedOnly = await listMembers({ status: 'subscribed' });
    expect(subscribedOnly.items.every((item) => item.status === 'subscribed')).toBe(true);
    expect(subscribedOnly.items).toHaveLength(odd);
    expect((await listMembers({ after: 'garbage' })).items).toHaveLength(MEMBERS_PER_PAGE);
  });
});
