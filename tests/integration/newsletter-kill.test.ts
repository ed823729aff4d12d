/**
 * A real crash: the worker (`npm run worker`'s scripts/worker.ts, in a child process) is killed with
 * SIGKILL while the SMTP server holds its messages unanswered; a new worker takes the newsletter
 * over (its start-up sweep) once the dead one's leases have run out, and every subscriber ends up
 * with exactly one message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { members, newsletters, posts } from '@/db/schema';
import { runPostLive } from '@/lib/posts/live';
import { insertCast, insertPost } from '../support/actors';
import { resetDatabase } from '../support/db';
import { startSmtpServer, type TestSmtp } from '../support/smtp';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

let smtp: TestSmtp;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await smtp.close();
});
beforeEach(resetDatabase);

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/worker.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, SMTP_URL: smtp.url, WORKER_CONCURRENCY: '2', MAIL_RATE: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 40_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('a worker killed mid-send: the next one finishes, each subscriber gets one message', async () => {
  const { E } = await insertCast();
  const readers = await getDb()
    .insert(members)
    .values(Array.from({ length: 40 }, (_, i) => ({ email: `kill${i}@example.test`, status: 'subscribed' as const })))
    .returning({ email: members.email });
  const post = await insertPost({ author: E, status: 'published' });
  await getDb().update(posts).set({ sendEmail: true }).where(eq(posts.id, post.id));
  await runPostLive({ postId: post.id });

  let release!: () => void;
  smtp.hold = new Promise<void>((resolve) => (release = resolve));
  let arrived = 0;
  smtp.onData = () => (arrived += 1);
  const first = startWorker();
  await until(() => arrived > 0, 'the first message to reach the SMTP server');
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  // Every connection of the dead worker closed (the kernel closes them all; the server sees each in turn).
  await until(() => smtp.abandoned > 0 && smtp.heldCount() === 0, 'the SMTP server to see every connection drop');
  smtp.hold = null;
  release();
  // Held answers settle on the next turns of the event loop: only then does `received` tell.
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(smtp.received).toHaveLength(0);
  const sending = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from newsletter_deliveries where status = 'sending'`);
  expect(sending.rows[0].n).toBeGreaterThan(0);

  // The dead worker's leases run out (60 s in real time).
  await getDb().execute(sql`update newsletter_deliveries set lease_until = now() - interval '1 second' where status = 'sending'`);
  const second = startWorker();
  await until(async () => (await getDb().select({ status: newsletters.status }).from(newsletters))[0]?.status === 'sent', 'the newsletter to be sent');
  second.kill('SIGTERM');
  await new Promise((resolve) => second.once('exit', resolve));

  const counts = new Map<string, number>();
  for (const message of smtp.received) for (const to of message.envelope.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  expect([...counts.keys()].sort()).toEqual(readers.map((r) => r.email).sort());
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
}, 90_000);
