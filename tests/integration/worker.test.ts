/** The job worker as the server runs it: jobs are picked up at once, and a database it cannot reach is not a crash. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { webhookDeliveries, webhooks } from '@/db/schema';
import { keepWorkerRunning, startWorker } from '@/lib/jobs/worker';
import { publishPost } from '@/lib/posts/mutations';
import { resetDatabase } from '../support/db';
import { queuedJobs } from '../support/jobs';
import { fieldsOf, insertCast, insertPost, signInAs, sleep } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

beforeEach(resetDatabase);

describe('the job worker', () => {
  it('runs a job within a second or two of the publish that added it', { timeout: 20_000 }, async () => {
    const cast = await insertCast();
    signInAs(cast.E);
    await getDb()
      .insert(webhooks)
      .values({ url: 'http://127.0.0.1:9/hook', events: ['post.published'], secret: 's'.repeat(32) });
    const worker = await startWorker({ connectionString: process.env.DATABASE_URL!, concurrency: 2 });
    try {
      const post = await insertPost({ author: cast.E, status: 'draft' });
      const started = Date.now();
      await publishPost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post) });
      while ((await getDb().select().from(webhookDeliveries)).length === 0 && Date.now() - started < 10_000) await sleep(50);
      expect(await getDb().select({ event: webhookDeliveries.event }).from(webhookDeliveries)).toEqual([{ event: 'post.published' }]);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await queuedJobs()).some((job) => job.task === 'post_live')).toBe(false);
    } finally {
      await worker.stop();
    }
  });

  it('kept running by the server: a database it cannot reach is logged and tried again, never thrown', { timeout: 20_000 }, async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
    try {
      const worker = keepWorkerRunning({ connectionString: 'postgres://postgres@127.0.0.1:1/nowhere', concurrency: 1 });
      while (errors.length === 0) await sleep(50);
      const stopping = Date.now();
      await worker.stop();
      expect(Date.now() - stopping).toBeLessThan(2_000);
      expect(errors[0]).toMatch(/^\[worker\] .*; starting again in 5 s$/);
    } finally {
      spy.mockRestore();
    }
  });
});
