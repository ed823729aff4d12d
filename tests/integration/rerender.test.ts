import { beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts } from '@/db/schema';
import { rerenderPosts } from '@/lib/content/rerender';
import { RENDERER_VERSION } from '@/lib/markdown';
import { resetDatabase } from '../support/db';
import { createPost } from '../support/factories';

beforeEach(async () => {
  await resetDatabase();
});

const read = async (id: string) => (await getDb().select().from(posts).where(eq(posts.id, id)))[0];

describe('rerenderPosts', () => {
  it('restores stale html and the renderer version without touching version or updatedAt', async () => {
    const stale = await createPost({ markdown: '## Section\n\nSome *emphasis* and a [link](https://example.com).\n' });
    const current = await createPost({ markdown: 'Already current.\n' });
    const good = await read(stale.id);
    await getDb()
      .update(posts)
      .set({ rendererVersion: 0, html: 'stale', toc: [], wordCount: 0, updatedAt: new Date('2024-01-01T00:00:00Z'), version: 7 })
      .where(eq(posts.id, stale.id));
    const currentBefore = await read(current.id);

    const done = await rerenderPosts();
    expect(done).toBe(1);

    const after = await read(stale.id);
    expect(after.html).toBe(good.html);
    expect(after.html).toContain('<em>emphasis</em>');
    expect(after.toc).toEqual(good.toc);
    expect(after.toc.length).toBe(1);
    expect(after.wordCount).toBe(good.wordCount);
    expect(after.rendererVersion).toBe(RENDERER_VERSION);
    expect(after.version).toBe(7);
    expect(after.updatedAt).toEqual(new Date('2024-01-01T00:00:00Z'));
    // The post that was already current is not rewritten.
    expect(await read(current.id)).toEqual(currentBefore);
    // Nothing left to do the second time.
    expect(await rerenderPosts()).toBe(0);
  });

  it('re-renders in batches and, with all, every post', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createPost({ markdown: `Post number ${i}.\n` }));
    await getDb().execute(sql`update posts set renderer_version = 0, html = 'stale'`);
    const progress: number[] = [];
    expect(await rerenderPosts({ batch: 2, onProgress: (n) => progress.push(n) })).toBe(5);
    expect(progress).toEqual([2, 4, 5]);
    for (const [i, p] of made.entries()) expect((await read(p.id)).html).toBe(`<p>Post number ${i}.</p>`);

    await getDb().execute(sql`update posts set html = 'stale'`); // version is current: only `all` fixes it
    expect(await rerenderPosts()).toBe(0);
    expect(await rerenderPosts({ all: true })).toBe(5);
    expect((await read(made[0].id)).html).toBe('<p>Post number 0.</p>');
  });
});
