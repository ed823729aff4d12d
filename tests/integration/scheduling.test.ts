/**
 * Scheduling against a real PostgreSQL: a scheduled post is hidden until its moment and public from
 * then on with nothing having to fire; publishing and unpublishing take effect at once everywhere.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '@/lib/auth/errors';
import { getEditorPost } from '@/lib/posts/editor-queries';
import { deletePost, publishPost, restorePost, savePost, schedulePost, trashPost, unpublishPost } from '@/lib/posts/mutations';
import {
  getPublicPost,
  getRedirectedSlug,
  listFeedPosts,
  listPublicPosts,
  listPublicPostsByAuthor,
  listPublicPostsByTag,
  listSitemapEntries,
} from '@/lib/posts/queries';
import { searchPublicPosts } from '@/lib/posts/search';
import type { PostFields } from '@/lib/posts/schemas';
import { emptyFields } from '../support/fields';
import { runPostLive } from '@/lib/posts/live';
import { schedulePostAction } from '@/app/editor/posts/[id]/actions';
import { resetDatabase } from '../support/db';
import { queuedJobs } from '../support/jobs';
import { getPostRow, insertCast, insertPost, signInAs, sleep, snapshot, type Cast } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const WORD = 'quixotry';

let cast: Cast;

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(cast.A);
});

const fields = (title: string): PostFields => ({ ...emptyFields(), title, markdown: `A ${WORD} of a post.\n`, tags: ['Timely'] });

/** Where a post with this slug shows up for readers right now. */
async function publicPlaces(slug: string, authorSlug: string) {
  const has = (items: { slug: string }[]) => items.some((item) => item.slug === slug);
  return {
    page: (await getPublicPost(slug)) !== null,
    home: has((await listPublicPosts({ limit: 50 })).items),
    feed: has(await listFeedPosts(50)),
    tag: has((await listPublicPostsByTag('timely', { limit: 50 })).items),
    author: has((await listPublicPostsByAuthor(authorSlug, { limit: 50 })).items),
    sitemap: (await listSitemapEntries()).some((entry) => entry.path === `/posts/${slug}`),
    search: (await searchPublicPosts(WORD, 1)).hits.some((hit) => hit.slug === slug),
  };
}
const everywhere = { page: true, home: true, feed: true, tag: true, author: true, sitemap: true, search: true };
const nowhere = { page: false, home: false, feed: false, tag: false, author: false, sitemap: false, search: false };

/** Waits until `at` has passed (plus a margin), then polls `check` every 100 ms for up to `limitMs` from the start. */
async function waitUntilTrue(at: number, check: () => Promise<boolean>, started: number, limitMs = 3_000): Promise<boolean> {
  const wait = at + 300 - Date.now();
  if (wait > 0) await sleep(wait);
  for (;;) {
    if (await check()) return true;
    if (Date.now() - started > limitMs) return false;
    await sleep(100);
  }
}

describe('scheduling', () => {
  it('refuses a time in the past (or now), changing nothing', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const before = await snapshot();
    for (const at of [new Date(Date.now() - 60_000), new Date(Date.now() - 1)]) {
      const error = await schedulePost({ id: post.id, baseVersion: 1, fields: fields('Too late'), publishAt: at }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('publishAt');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a post scheduled 1.5 s ahead is hidden until then and public from then on, with no other write', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const started = Date.now();
    const at = new Date(started + 1_500);
    const scheduled = await schedulePost({ id: post.id, baseVersion: 1, fields: fields('On the dot'), publishAt: at });
    const slug = scheduled.post.slug;
    expect(slug).toBe('on-the-dot');
    expect(scheduled.post).toMatchObject({ status: 'scheduled', displayStatus: 'scheduled', publishAt: at.toISOString() });

    expect(await publicPlaces(slug, cast.A.slug)).toEqual(nowhere);
    expect((await getEditorPost(post.id)).displayStatus).toBe('scheduled');
    const before = await snapshot();

    const wentLive = await waitUntilTrue(at.getTime(), async () => (await getPublicPost(slug)) !== null, started);
    expect(wentLive).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
    expect(await publicPlaces(slug, cast.A.slug)).toEqual(everywhere);
    const editor = await getEditorPost(post.id);
    expect(editor.status).toBe('scheduled');
    expect(editor.displayStatus).toBe('published');
    // Nothing was written to make it happen.
    expect(await snapshot()).toEqual(before);
  });

  it('a scheduled post whose time has come counts as published: its URL stays put and a contributor cannot delete it', async () => {
    // A's own post, and a contributor's post that the editor schedules.
    const mine = await insertPost({ author: cast.A, status: 'draft' });
    const theirs = await insertPost({ author: cast.C, status: 'draft' });
    const started = Date.now();
    const at = new Date(started + 1_000);
    const a = await schedulePost({ id: mine.id, baseVersion: 1, fields: fields('Went live by schedule'), publishAt: at });
    signInAs(cast.E);
    const c = await schedulePost({ id: theirs.id, baseVersion: 1, fields: fields('Contributed piece'), publishAt: at });
    expect(await waitUntilTrue(at.getTime(), async () => (await getPublicPost(c.post.slug)) !== null, started)).toBe(true);

    // It has been public: the editor should know it (first_published_at), like any published post.
    signInAs(cast.A);
    expect.soft((await getEditorPost(mine.id)).firstPublishedAt, 'firstPublishedAt of a post that went live by schedule').not.toBeNull();

    // Retitling a live post with an empty slug field must not move its URL.
    const retitled = await savePost({ id: mine.id, baseVersion: a.post.version, fields: fields('A new headline'), autosave: false });
    expect.soft(retitled.post.slug, 'slug of a live post after a title change').toBe('went-live-by-schedule');
    expect.soft(await getPublicPost('went-live-by-schedule'), 'the live URL still answers').not.toBeNull();

    // The contributor's piece was public; once trashed, the contributor may not delete (or restore) it.
    signInAs(cast.E);
    await trashPost(theirs.id);
    signInAs(cast.C);
    const deleting = await deletePost(theirs.id).then(
      () => 'deleted',
      (error: Error) => error.name,
    );
    expect.soft(deleting, 'contributor deleting a once-public post').toBe('ForbiddenError');
    if (deleting !== 'deleted') {
      const restoring = await restorePost(theirs.id).then(
        () => 'restored',
        (error: Error) => error.name,
      );
      expect.soft(restoring, 'contributor restoring a once-public post').toBe('ForbiddenError');
    }
  });

  it('publishPost on a scheduled post publishes it now', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const scheduled = await schedulePost({ id: post.id, baseVersion: 1, fields: fields('Sooner'), publishAt: new Date(Date.now() + 3_600_000) });
    expect(await publicPlaces('sooner', cast.A.slug)).toEqual(nowhere);
    const before = Date.now();
    const published = await publishPost({ id: post.id, baseVersion: scheduled.post.version, fields: scheduled.post.fields });
    expect(published.post).toMatchObject({ status: 'published', displayStatus: 'published' });
    const publishAt = new Date(published.post.publishAt!).getTime();
    expect(publishAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(publishAt).toBeLessThanOrEqual(Date.now() + 1_000);
    expect(published.post.firstPublishedAt).not.toBeNull();
    expect(await publicPlaces('sooner', cast.A.slug)).toEqual(everywhere);
  });

  it('re-publishing a live post keeps its original date', async () => {
    const yesterday = new Date(Date.now() - 86_400_000);
    const post = await insertPost({ author: cast.A, status: 'published', publishAt: yesterday });
    const again = await publishPost({ id: post.id, baseVersion: 1, fields: fields('Corrected') });
    expect(again.post.publishAt).toBe(yesterday.toISOString());
  });

  it('unpublishPost removes a post from every public list at once, and its old slugs stop redirecting', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const published = await publishPost({ id: post.id, baseVersion: 1, fields: fields('Here today') });
    const renamed = await savePost({
      id: post.id,
      baseVersion: published.post.version,
      fields: { ...published.post.fields, slug: 'gone-tomorrow' },
      autosave: false,
    });
    expect(await getRedirectedSlug('here-today')).toBe('gone-tomorrow');
    expect(await publicPlaces('gone-tomorrow', cast.A.slug)).toEqual(everywhere);

    const change = await unpublishPost(post.id);
    expect(change.post).toMatchObject({ status: 'draft', displayStatus: 'draft', publishAt: null });
    expect(change.publicPaths).toContain('/posts/gone-tomorrow');
    expect(await publicPlaces('gone-tomorrow', cast.A.slug)).toEqual(nowhere);
    expect(await getRedirectedSlug('here-today')).toBeNull();
    expect(renamed.post.version + 1).toBe(change.post.version);
  });

  it('unpublishing a scheduled post cancels it', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const scheduled = await schedulePost({ id: post.id, baseVersion: 1, fields: fields('Never mind'), publishAt: new Date(Date.now() + 60_000) });
    const liveJobs = async () => (await queuedJobs()).filter((job) => job.task === 'post_live');
    expect(await liveJobs()).toMatchObject([{ key: `post_live:${post.id}`, runAt: new Date(scheduled.post.publishAt!) }]);
    await unpublishPost(post.id);
    // Nothing is left to fire at the old time, and a job a worker had already taken changes nothing.
    expect(await liveJobs()).toEqual([]);
    await runPostLive({ postId: post.id });
    expect(await getPublicPost(scheduled.post.slug)).toBeNull();
    expect(await queuedJobs()).toEqual([]);
    expect((await getPostRow(post.id))!).toMatchObject({ status: 'draft', publishAt: null });
  });

  it('schedulePostAction takes an ISO time with an offset and stores that instant', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const result = await schedulePostAction({ id: post.id, baseVersion: 1, fields: fields('Offset'), publishAt: '2099-06-01T12:00:00+02:00' });
    expect(result).toMatchObject({ ok: true, data: { status: 'scheduled', publishAt: '2099-06-01T10:00:00.000Z' } });
  });
});
