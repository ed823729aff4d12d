/**
 * The job queue and a post's life: going live (now or at its time) is a `post_live` job added in the
 * transaction of the change, moved by a reschedule, removed by an unpublish, and idempotent when it
 * runs; edits, unpublishing and deletion of a live post are webhook events at once.
 */
import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { members, newsletterDeliveries, newsletters, posts, webhookDeliveries, webhooks } from '@/db/schema';
import { runPostLive } from '@/lib/posts/live';
import { deletePost, publishPost, schedulePost, savePost, trashPost, unpublishPost } from '@/lib/posts/mutations';
import { resetDatabase } from '../support/db';
import { queuedJobs, runDueJobs } from '../support/jobs';
import { fieldsOf, insertCast, insertPost, signInAs, type Cast } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;
beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(cast.E);
});

const subscribeAll = (events: string[]) =>
  getDb()
    .insert(webhooks)
    .values({ url: 'http://127.0.0.1:9/hook', events, secret: 's'.repeat(32) });
const events = async () =>
  (await getDb().select({ event: webhookDeliveries.event, key: webhookDeliveries.eventKey }).from(webhookDeliveries).orderBy(webhookDeliveries.createdAt)).map(
    (row) => row.event,
  );
const liveJobs = async () => (await queuedJobs()).filter((job) => job.task === 'post_live');

describe('a post going live', () => {
  it('publish now: a post_live job in the same transaction; run (twice), it fires post.published once', async () => {
    await subscribeAll(['post.published']);
    const post = await insertPost({ author: cast.E, status: 'draft' });
    await publishPost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post) });
    expect((await liveJobs()).map((job) => job.key)).toEqual([`post_live:${post.id}`]);
    await runDueJobs();
    await runPostLive({ postId: post.id }); // a job that ran again after its worker died
    expect(await events()).toEqual(['post.published']);
    const [delivery] = await getDb().select().from(webhookDeliveries);
    expect(delivery.payload).toMatchObject({ event: 'post.published', data: { post: { id: post.id, title: post.title, kind: 'post', status: 'published' } } });
    expect((await queuedJobs()).map((job) => job.task)).toEqual(['webhook_deliver']);
  });

  it('scheduled: one job at its time; rescheduling moves it; unpublishing removes it; a failed write adds none', async () => {
    const post = await insertPost({ author: cast.E, status: 'draft' });
    const at = new Date(Date.now() + 3_600_000);
    const scheduled = await schedulePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post), publishAt: at });
    expect((await liveJobs()).map((job) => [job.key, job.runAt.getTime()])).toEqual([[`post_live:${post.id}`, at.getTime()]]);
    const later = new Date(at.getTime() + 3_600_000);
    const moved = await schedulePost({ id: post.id, baseVersion: scheduled.post.version, fields: fieldsOf(post), publishAt: later });
    expect((await liveJobs()).map((job) => job.runAt.getTime())).toEqual([later.getTime()]);
    // A stale save is refused: its transaction, job included, never commits.
    await expect(schedulePost({ id: post.id, baseVersion: scheduled.post.version, fields: fieldsOf(post), publishAt: at })).rejects.toThrow();
    expect((await liveJobs()).map((job) => job.runAt.getTime())).toEqual([later.getTime()]);
    await unpublishPost(post.id);
    expect(await liveJobs()).toEqual([]);
    expect(moved.post.status).toBe('scheduled');
  });

  it('a job for a post that was unpublished or moved later meanwhile does nothing', async () => {
    await subscribeAll(['post.*', 'post.published']);
    const post = await insertPost({ author: cast.E, status: 'scheduled', publishAt: new Date(Date.now() + 60_000) });
    await runPostLive({ postId: post.id });
    expect(await events()).toEqual([]);
    await getDb()
      .update(posts)
      .set({ publishAt: new Date(Date.now() - 1000) })
      .where(eq(posts.id, post.id));
    await runPostLive({ postId: post.id });
    await runPostLive({ postId: post.id });
    expect(await events()).toEqual(['post.published']);
  });
});

describe('changes to a live post', () => {
  it('an edit, an unpublish, a trash and a delete are events at once; drafts and pages only when asked for', async () => {
    await subscribeAll(['post.updated', 'post.unpublished', 'post.deleted']);
    const post = await insertPost({ author: cast.E, status: 'published' });
    const saved = await savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { title: 'Edited' }), autosave: false });
    await unpublishPost(post.id);
    const draft = await insertPost({ author: cast.E, status: 'draft' });
    await savePost({ id: draft.id, baseVersion: draft.version, fields: fieldsOf(draft, { title: 'Draft edit' }), autosave: false });
    await trashPost(post.id);
    await deletePost(post.id);
    const page = await insertPost({ author: cast.E, status: 'published', kind: 'page' });
    await savePost({ id: page.id, baseVersion: page.version, fields: fieldsOf(page, { title: 'Page edit' }), autosave: false });
    expect(await events()).toEqual(['post.updated', 'post.unpublished', 'post.deleted']);
    expect(saved.post.fields.title).toBe('Edited');
  });

  it('page.* subscribes to every page event', async () => {
    await subscribeAll(['page.*']);
    const page = await insertPost({ author: cast.E, status: 'draft', kind: 'page' });
    const published = await publishPost({ id: page.id, baseVersion: page.version, fields: fieldsOf(page) });
    await runDueJobs();
    await savePost({ id: page.id, baseVersion: published.post.version, fields: fieldsOf(page, { title: 'Again' }), autosave: false });
    expect(await events()).toEqual(['page.published', 'page.updated']);
  });
});

describe('a post with "Also send by email"', () => {
  it('going live makes its newsletter once, for subscribed members only', async () => {
    await getDb()
      .insert(members)
      .values([
        { email: 'yes@example.test', status: 'subscribed' },
        { email: 'pending@example.test', status: 'pending' },
        { email: 'gone@example.test', status: 'unsubscribed' },
      ]);
    const post = await insertPost({ author: cast.E, status: 'draft' });
    await getDb().update(posts).set({ sendEmail: true }).where(eq(posts.id, post.id));
    await publishPost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post) });
    await runPostLive({ postId: post.id });
    await runPostLive({ postId: post.id });
    expect(await getDb().select({ recipients: newsletters.recipients, subject: newsletters.subject }).from(newsletters)).toEqual([
      { recipients: 1, subject: post.title },
    ]);
    const deliveries = await getDb().execute<{ email: string }>(sql`select m.email from ${newsletterDeliveries} d join ${members} m on m.id = d.member_id`);
    expect(deliveries.rows).toEqual([{ email: 'yes@example.test' }]);
  });
});
