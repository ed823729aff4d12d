/**
 * Webhooks end to end in the data layer: endpoints managed by admins only, events delivered by the
 * real job queue to a real HTTP receiver on 127.0.0.1 (so WEBHOOK_ALLOW_PRIVATE is on, except where a
 * test turns it off to show the refusals), signed, retried, logged, redelivered.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, webhookDeliveries, webhooks } from '@/db/schema';
import { AuthError, ForbiddenError, ValidationError } from '@/lib/auth/errors';
import { publishPost } from '@/lib/posts/mutations';
import { runWebhookDelivery } from '@/lib/webhooks/deliver';
import { createWebhook, deleteWebhook, redeliverWebhook, rotateWebhookSecret, setWebhookDisabled } from '@/lib/webhooks/mutations';
import { listWebhooks } from '@/lib/webhooks/queries';
import { fieldsOf, insertCast, insertPost, refused, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';
import { queuedJobs, runDueJobs } from '../support/jobs';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

// WEBHOOK_ALLOW_PRIVATE for this file, switched per test (env() parses the environment once per process).
const setting = vi.hoisted(() => ({ allowPrivate: true }));
vi.mock('@/lib/env', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/lib/env')>();
  return { ...real, env: () => ({ ...real.env(), WEBHOOK_ALLOW_PRIVATE: setting.allowPrivate }) };
});

type Received = { path: string; headers: IncomingMessage['headers']; body: string };
let received: Received[] = [];
let answers: ((res: ServerResponse) => void)[] = [];
let receiver: Server;
let base = '';

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body });
      (answers.shift() ?? ((r: ServerResponse) => r.end('thanks')))(res);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

let cast: Cast;
beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  received = [];
  answers = [];
  setting.allowPrivate = true;
  signInAs(cast.Z);
});

const deliveries = () => getDb().select().from(webhookDeliveries).orderBy(asc(webhookDeliveries.createdAt));
const audits = async () => getDb().select({ action: auditLog.action, detail: auditLog.detail }).from(auditLog).orderBy(asc(auditLog.id));
const secretOf = async (id: string) => (await getDb().select({ secret: webhooks.secret }).from(webhooks).where(eq(webhooks.id, id)))[0].secret;
/** Makes every waiting job due now (a retry's backoff, skipped). */
const makeJobsDue = () => getDb().execute(sql`update graphile_worker._private_jobs set run_at = now()`);

/** An editor publishes a new post now; the worker then runs what is due (post_live, then the deliveries). */
async function publishOne() {
  signInAs(cast.E);
  const post = await insertPost({ author: cast.E, status: 'draft', title: 'Webhook news' });
  await publishPost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post) });
  signInAs(cast.Z);
  await runDueJobs();
  return post;
}

/** The receiver's check, written from the README's description, not from lib/webhooks. */
function verifies(secret: string, request: Received): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['x-broadsheet-signature']));
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${request.body}`).digest('hex');
  return expected === match[2] && Math.abs(Date.now() / 1000 - Number(match[1])) < 300;
}

describe('delivering an event', () => {
  it('publishing a post delivers post.published to the receiver, signed; a duplicate job sends nothing more', async () => {
    const hook = await createWebhook({ url: `${base}/hooks/in`, events: ['post.*'], description: 'the test receiver' });
    const post = await publishOne();
    expect(received).toHaveLength(1);
    const [request] = received;
    const [delivery] = await deliveries();
    expect(request.path).toBe('/hooks/in');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Broadsheet-Webhooks',
      'x-broadsheet-event': 'post.published',
      'x-broadsheet-delivery': delivery.id,
    });
    expect(verifies(await secretOf(hook.id), request)).toBe(true);
    expect(verifies('whsec_another', request)).toBe(false);
    expect(verifies(await secretOf(hook.id), { ...request, body: request.body.replace('Webhook news', 'Webhook newz') })).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({ event: 'post.published', data: { post: { id: post.id, title: 'Webhook news', status: 'published' } } });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200, responseSnippet: 'thanks' });
    expect(delivery.durationMs).toBeGreaterThanOrEqual(0);
    expect(delivery.lastAttemptAt).toBeInstanceOf(Date);

    await runWebhookDelivery({ deliveryId: delivery.id }, { job: { attempts: 1, max_attempts: 13 } });
    expect(received).toHaveLength(1);
    expect(await queuedJobs()).toEqual([]);
  });

  it('a receiver answering 500 is tried again later (attempts + 1, a later run_at); made due, it is delivered and the log shows both attempts', async () => {
    await createWebhook({ url: `${base}/flaky`, events: ['post.published'] });
    answers.push((res) => res.writeHead(500).end('database on fire'));
    const started = Date.now();
    await publishOne();
    const [first] = await deliveries();
    expect(first).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, responseSnippet: 'database on fire' });
    const [job] = await queuedJobs();
    expect(job).toMatchObject({ task: 'webhook_deliver', key: `webhook_deliver:${first.id}`, attempts: 1 });
    expect(job.lastError).toContain('failed (500)');
    expect(job.runAt.getTime()).toBeGreaterThan(started + 1000);

    await runDueJobs(); // not due yet: nothing happens
    expect(received).toHaveLength(1);
    await makeJobsDue();
    await runDueJobs();
    expect(received).toHaveLength(2);
    expect(received[1].headers['x-broadsheet-delivery']).toBe(first.id);
    expect(await queuedJobs()).toEqual([]);
    const [log] = await listWebhooks();
    expect(log.deliveries).toMatchObject([
      { id: first.id, event: 'post.published', status: 'delivered', attempts: 2, responseStatus: 200, responseSnippet: 'thanks' },
    ]);
  });

  it('the last attempt that fails marks the delivery failed and ends its job', async () => {
    const hook = await createWebhook({ url: `${base}/down`, events: ['post.published'] });
    answers.push((res) => res.writeHead(503).end('down'));
    const [delivery] = await getDb()
      .insert(webhookDeliveries)
      .values({ webhookId: hook.id, event: 'post.published', eventKey: 'k1', payload: { event: 'post.published' } })
      .returning();
    await runWebhookDelivery({ deliveryId: delivery.id }, { job: { attempts: 13, max_attempts: 13 } });
    expect((await deliveries())[0]).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 503, responseSnippet: 'down' });
  });

  it('a redirect is not followed, not even to an allowed address: the attempt fails and says where it pointed', async () => {
    await createWebhook({ url: `${base}/moved`, events: ['post.published'] });
    answers.push((res) => res.writeHead(308, { Location: `${base}/internal-admin` }).end());
    await publishOne();
    expect(received.map((r) => r.path)).toEqual(['/moved']);
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 308 });
    expect(delivery.responseSnippet).toContain(`Redirected to ${base}/internal-admin: webhooks do not follow redirects`);
  });

  it('a disabled endpoint gets no new deliveries, and one already waiting is not sent', async () => {
    const hook = await createWebhook({ url: `${base}/paused`, events: ['post.published'] });
    signInAs(cast.E);
    const post = await insertPost({ author: cast.E, status: 'draft' });
    await publishPost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post) });
    signInAs(cast.Z);
    await runDueJobs();
    expect(received).toHaveLength(1);
    await redeliverWebhook({ deliveryId: (await deliveries())[0].id });
    await setWebhookDisabled({ id: hook.id, disabled: true });
    await runDueJobs();
    expect(received).toHaveLength(1);
    expect((await deliveries())[0]).toMatchObject({ status: 'failed', responseSnippet: 'Not sent: the endpoint is disabled.' });
    const waiting = (await deliveries())[0].id;
    expect(await refused(() => redeliverWebhook({ deliveryId: waiting }))).toBeInstanceOf(ValidationError);
    await publishOne();
    expect(await deliveries()).toHaveLength(1);
  });
});

describe('private addresses (WEBHOOK_ALLOW_PRIVATE false)', () => {
  it('are refused when an endpoint is saved, by address and by name, and nothing is stored', async () => {
    setting.allowPrivate = false;
    const literal = await refused(() => createWebhook({ url: `${base}/hook`, events: ['post.*'] }));
    expect(literal).toBeInstanceOf(ValidationError);
    expect(literal?.message).toBe('Refused: 127.0.0.1 is a loopback address: webhooks may only go to public addresses (WEBHOOK_ALLOW_PRIVATE is false).');
    const byName = await refused(() => createWebhook({ url: `${base.replace('127.0.0.1', 'localhost')}/hook`, events: ['post.*'] }));
    expect(byName?.message).toMatch(/^Refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    expect(await refused(() => createWebhook({ url: 'http://[::ffff:169.254.169.254]/latest', events: ['post.*'] }))).toBeInstanceOf(ValidationError);
    expect(await getDb().select().from(webhooks)).toEqual([]);
    expect(await audits()).toEqual([]);
  });

  it('are refused at delivery time too (an endpoint stored before, by address or by name): no request reaches the receiver, the attempt is logged', async () => {
    setting.allowPrivate = false;
    await getDb()
      .insert(webhooks)
      .values([
        { url: `${base}/literal`, events: ['post.published'], secret: 'whsec_a' },
        { url: `${base.replace('127.0.0.1', 'localhost')}/by-name`, events: ['post.published'], secret: 'whsec_b' },
      ]);
    await publishOne();
    expect(received).toEqual([]);
    const rows = await deliveries();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null });
      expect(row.responseSnippet).toMatch(/^Refused: (localhost resolves to )?(127\.0\.0\.1|::1) is a loopback address/);
    }
    expect((await queuedJobs()).map((job) => job.attempts)).toEqual([1, 1]);
    // The same endpoints are reached once private targets are allowed: the refusal was the guard's.
    setting.allowPrivate = true;
    await makeJobsDue();
    await runDueJobs();
    expect(received.map((r) => r.path).sort()).toEqual(['/by-name', '/literal']);
  });
});

describe('managing endpoints', () => {
  it('an admin adds, rotates, disables, enables, redelivers and deletes; each is audited, never with the secret', async () => {
    const hook = await createWebhook({ url: `${base}/managed`, events: ['post.updated', 'post.*', 'member.subscribed'], description: 'CRM' });
    const firstSecret = await secretOf(hook.id);
    expect(firstSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await publishOne();
    const [delivery] = await deliveries();
    expect(delivery.status).toBe('delivered');

    await rotateWebhookSecret({ id: hook.id });
    const secondSecret = await secretOf(hook.id);
    expect(secondSecret).not.toBe(firstSecret);
    await redeliverWebhook({ deliveryId: delivery.id });
    expect((await deliveries())[0].status).toBe('pending');
    expect((await queuedJobs()).map((job) => [job.task, job.key])).toEqual([['webhook_deliver', `webhook_deliver:${delivery.id}`]]);
    await runDueJobs();
    expect(received).toHaveLength(2);
    expect(received[1].headers['x-broadsheet-delivery']).toBe(delivery.id);
    expect(received[1].body).toBe(received[0].body);
    expect(verifies(secondSecret, received[1])).toBe(true);
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2 });

    expect(await setWebhookDisabled({ id: hook.id, disabled: true })).toEqual({ changed: true });
    expect(await setWebhookDisabled({ id: hook.id, disabled: 'true' })).toEqual({ changed: false });
    await setWebhookDisabled({ id: hook.id, disabled: 'false' });
    const [listed] = await listWebhooks();
    expect(listed).toMatchObject({
      id: hook.id,
      url: `${base}/managed`,
      events: ['post.*', 'member.subscribed'],
      description: 'CRM',
      disabled: false,
      secret: secondSecret,
    });

    await deleteWebhook({ id: hook.id });
    expect(await getDb().select().from(webhooks)).toEqual([]);
    expect(await deliveries()).toEqual([]);
    const log = (await audits()).filter((entry) => entry.action.startsWith('webhook.'));
    expect(log.map((entry) => entry.action)).toEqual([
      'webhook.create',
      'webhook.rotate_secret',
      'webhook.redeliver',
      'webhook.disable',
      'webhook.enable',
      'webhook.delete',
    ]);
    const written = JSON.stringify(log);
    expect(written).not.toContain(firstSecret);
    expect(written).not.toContain(secondSecret);
    expect(written).not.toContain('whsec_');
  });

  it('deleting an endpoint removes its waiting retries', async () => {
    const hook = await createWebhook({ url: `${base}/gone`, events: ['post.published'] });
    answers.push((res) => res.writeHead(500).end());
    await publishOne();
    expect((await queuedJobs()).map((job) => job.task)).toEqual(['webhook_deliver']);
    await deleteWebhook({ id: hook.id });
    expect(await queuedJobs()).toEqual([]);
  });
});

describe('who may manage webhooks', () => {
  it('admins only: authors, editors and contributors are forbidden, the signed-out and disabled must sign in, and nothing changes', async () => {
    const hook = await createWebhook({ url: `${base}/mine`, events: ['post.*'] });
    await publishOne();
    const [delivery] = await deliveries();
    const state = async () => ({
      hooks: await getDb().select().from(webhooks),
      deliveries: await deliveries(),
      audit: await audits(),
      jobs: await queuedJobs(),
    });
    const before = await state();
    for (const [who, Expected] of [
      [cast.E, ForbiddenError],
      [cast.A, ForbiddenError],
      [cast.C, ForbiddenError],
      [cast.D, AuthError],
      [null, AuthError],
    ] as const) {
      signInAs(who);
      expect(await refused(() => createWebhook({ url: `${base}/theirs`, events: ['post.*'] }))).toBeInstanceOf(Expected);
      expect(await refused(() => listWebhooks())).toBeInstanceOf(Expected);
      expect(await refused(() => setWebhookDisabled({ id: hook.id, disabled: true }))).toBeInstanceOf(Expected);
      expect(await refused(() => rotateWebhookSecret({ id: hook.id }))).toBeInstanceOf(Expected);
      expect(await refused(() => redeliverWebhook({ deliveryId: delivery.id }))).toBeInstanceOf(Expected);
      expect(await refused(() => deleteWebhook({ id: hook.id }))).toBeInstanceOf(Expected);
    }
    expect(await state()).toEqual(before);
    expect(received).toHaveLength(1);
  });
});
