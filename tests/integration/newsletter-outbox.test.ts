/** With no SMTP_URL, a newsletter is written as one .eml file per member in OUTBOX_DIR, sent once all the same. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { env } from '@/lib/env';
import { members, newsletters, posts } from '@/db/schema';
import { runNewsletterSend } from '@/lib/newsletters/send';
import { runPostLive } from '@/lib/posts/live';
import { insertCast, insertPost } from '../support/actors';
import { resetDatabase } from '../support/db';
import { runDueJobs } from '../support/jobs';
import { parseMessage } from '../support/smtp';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

let outbox: string;
beforeAll(async () => {
  outbox = await mkdtemp(path.join(tmpdir(), 'broadsheet-outbox-'));
  delete process.env.SMTP_URL;
  process.env.OUTBOX_DIR = outbox;
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterAll(() => rm(outbox, { recursive: true, force: true }));
beforeEach(resetDatabase);

it('writes one .eml per subscriber, with the same headers an SMTP server would get', async () => {
  const { E } = await insertCast();
  await getDb()
    .insert(members)
    .values([
      { email: 'one@example.test', status: 'subscribed' },
      { email: 'two@example.test', status: 'subscribed' },
    ]);
  const post = await insertPost({ author: E, status: 'published', title: 'Outbox issue' });
  await getDb().update(posts).set({ sendEmail: true }).where(eq(posts.id, post.id));
  await runPostLive({ postId: post.id });
  await runDueJobs();
  await runNewsletterSend({ postId: post.id });
  const files = (await readdir(outbox)).filter((name) => name.endsWith('.eml'));
  expect(files).toHaveLength(2);
  const messages = await Promise.all(files.map(async (name) => parseMessage(await readFile(path.join(outbox, name), 'utf8'))));
  expect(messages.map((m) => m.header('to')).sort()).toEqual(['one@example.test', 'two@example.test']);
  for (const message of messages) {
    expect(message.header('subject')).toBe('Outbox issue');
    expect(message.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(message.text).toContain(`Unsubscribe: ${env().SITE_URL}/unsubscribe?m=`);
  }
  expect((await getDb().select({ status: newsletters.status }).from(newsletters))[0].status).toBe('sent');
});
