import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts, type PostKind, type PostStatus } from '@/db/schema';
import { addJob, removeJob } from '@/lib/jobs/queue';
import { startNewsletter } from '@/lib/newsletters/start';
import type { Tx } from '@/lib/tags/mutations';
import { queueWebhookEvent, type WebhookEvent } from '@/lib/webhooks/events';
import { isPublicAt } from './visibility';

/**
 * What readers and integrations hear when a post changes, decided in the transaction of the change
 * (lib/posts/mutations.ts): a post that goes live now or later gets a `post_live` job at its time
 * (one per post: rescheduling moves it, unpublishing removes it); an edit of a live post or its
 * unpublishing or deletion is a webhook event at once. Nothing here runs on a reader's request or a
 * timer in the server: the job is in the database, so it runs after a crash or downtime, once.
 */
export type PostState = { id: string; kind: PostKind; status: PostStatus; publishAt: Date | null; version: number };

const liveJobKey = (id: string) => `post_live:${id}`;
const pending = (post: PostState | null, now: Date) => !!post && post.status === 'scheduled' && !!post.publishAt && post.publishAt > now;

export async function recordPostChange(tx: Tx, before: PostState | null, after: PostState | null): Promise<void> {
  const now = new Date();
  const wasLive = !!before && isPublicAt(before, now);
  const isLive = !!after && isPublicAt(after, now);
  const id = (after ?? before)!.id;
  const kind = (after ?? before)!.kind;
  if (after && isLive && !wasLive) {
    await addJob(tx, 'post_live', { postId: id }, { jobKey: liveJobKey(id) });
  } else if (after && pending(after, now)) {
    await addJob(tx, 'post_live', { postId: id }, { runAt: after.publishAt!, jobKey: liveJobKey(id) });
  } else if (pending(before, now)) {
    await removeJob(tx, liveJobKey(id));
  }
  if (wasLive && isLive && after) await queueEvent(tx, id, `${kind}.updated`, `${kind}.updated:${id}:${after.version}`);
  else if (wasLive && after && !isLive) await queueEvent(tx, id, `${kind}.unpublished`, `${kind}.unpublished:${id}:${after.version}`);
  if (before && !after) await queueEvent(tx, id, `${kind}.deleted`, `${kind}.deleted:${id}`, before);
}

async function queueEvent(tx: Tx, id: string, event: WebhookEvent, key: string, deleted?: PostState): Promise<void> {
  await queueWebhookEvent(tx, event, key, async () => ({ post: deleted ? { id, kind: deleted.kind } : await postPayload(tx, id) }));
}

/** What a webhook says about a post: its public fields and address. */
async function postPayload(tx: Tx, id: string): Promise<Record<string, unknown>> {
  const { rows } = await tx.execute<Record<string, unknown>>(sql`
    select p.id, p.kind, p.slug, p.title, p.subtitle, p.description, p.status, p.publish_at as "publishedAt",
           p.updated_at as "updatedAt", p.hero_image as "heroImage", u.name as author,
           coalesce((select array_agg(b.name order by pa.position) from post_authors pa join users b on b.id = pa.user_id where pa.post_id = p.id), array[u.name]) as authors,
           coalesce((select array_agg(t.name order by pt.position) from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = p.id), '{}') as tags
      from posts p join users u on u.id = p.author_id
     where p.id = ${id}`);
  return rows[0] ?? { id };
}

/**
 * The `post_live` job: at (or after) the post's time, if it is public then, `post.published` (or
 * `page.published`) to the webhooks and, for a post with "Also send by email", its newsletter.
 * Both are idempotent (a unique event key per publish time; one newsletter per post), so a job that
 * runs twice (a worker that died after committing) changes nothing the second time.
 */
export async function runPostLive(payload: { postId: string }): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [post] = await tx
      .select({ id: posts.id, kind: posts.kind, status: posts.status, publishAt: posts.publishAt, sendEmail: posts.sendEmail })
      .from(posts)
      .where(eq(posts.id, payload.postId))
      .for('update');
    // Deleted, unpublished or moved later since the job was added: the change that did it decided.
    if (!post || !isPublicAt(post)) return;
    await queueEvent(tx, post.id, `${post.kind}.published`, `${post.kind}.published:${post.id}:${post.publishAt!.toISOString()}`);
    if (post.kind === 'post' && post.sendEmail) await startNewsletter(tx, post.id);
  });
}
