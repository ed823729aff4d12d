import { beforeEach, describe, expect, it, vi } from 'vitest';
import { listEditorPosts } from '@/lib/posts/editor-queries';
import { AuthError } from '@/lib/auth/errors';
import { insertCast, insertPost, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';

vi.mock('@/lib/auth/session', () => ({ getSessionUserId: vi.fn() }));

const all = { status: 'all' as const, q: '', after: null };

describe('the editor list', () => {
  let cast: Cast;
  beforeEach(async () => {
    await resetDatabase();
    cast = await insertCast();
    const hour = 3_600_000;
    await insertPost({ author: cast.A, status: 'draft', title: 'Draft about otters' });
    await insertPost({ author: cast.A, status: 'review', title: 'Review about badgers' });
    await insertPost({ author: cast.A, status: 'scheduled', title: 'Future piece', publishAt: new Date(Date.now() + hour) });
    await insertPost({ author: cast.A, status: 'scheduled', title: 'Went live by schedule', publishAt: new Date(Date.now() - hour) });
    await insertPost({ author: cast.A2, status: 'published', title: 'Published about otters' });
    await insertPost({ author: cast.A2, status: 'trash', title: 'Binned' });
  });

  it('editors see every post, with counts per status as readers see them (a due schedule is published)', async () => {
    signInAs(cast.E);
    const list = await listEditorPosts(all);
    expect(list.counts).toEqual({ all: 5, draft: 1, review: 1, scheduled: 1, published: 2, trash: 1 });
    expect(list.items.map((i) => i.title)).not.toContain('Binned');
    const live = await listEditorPosts({ ...all, status: 'published' });
    expect(live.items.map((i) => i.title).sort()).toEqual(['Published about otters', 'Went live by schedule']);
    expect(live.items.every((i) => i.displayStatus === 'published')).toBe(true);
    const scheduled = await listEditorPosts({ ...all, status: 'scheduled' });
    expect(scheduled.items.map((i) => i.title)).toEqual(['Future piece']);
    expect((await listEditorPosts({ ...all, status: 'trash' })).items.map((i) => i.title)).toEqual(['Binned']);
  });

  it('authors and contributors see only their own posts, and their own counts', async () => {
    signInAs(cast.A2);
    const list = await listEditorPosts(all);
    expect(list.items.map((i) => i.title)).toEqual(['Published about otters']);
    expect(list.counts).toEqual({ all: 1, draft: 0, review: 0, scheduled: 0, published: 1, trash: 1 });
    signInAs(cast.C);
    expect((await listEditorPosts(all)).items).toEqual([]);
  });

  it('search narrows the list and the counts; newest change first', async () => {
    signInAs(cast.Z);
    const list = await listEditorPosts({ ...all, q: 'otters' });
    expect(list.items.map((i) => i.title).sort()).toEqual(['Draft about otters', 'Published about otters']);
    expect(list.counts.all).toBe(2);
    const times = (await listEditorPosts(all)).items.map((i) => i.updatedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('nobody signed in, or a disabled account, gets nothing', async () => {
    signInAs(null);
    await expect(listEditorPosts(all)).rejects.toBeInstanceOf(AuthError);
    signInAs(cast.D);
    await expect(listEditorPosts(all)).rejects.toBeInstanceOf(AuthError);
  });
});
