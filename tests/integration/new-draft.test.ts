/**
 * "New post" opens the editor with nothing stored (lib/posts/new-draft.ts): the unborn post names
 * its writer and what they may do; the draft is made by createDraftAction on the first keystroke,
 * for whoever may write that kind, and nothing else is written before it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDraftAction } from '@/app/editor/posts/new/actions';
import { ForbiddenError } from '@/lib/auth/errors';
import { unbornEditorPost } from '@/lib/posts/new-draft';
import { resetDatabase } from '../support/db';
import { insertCast, signInAs, type Cast } from '../support/actors';
import { getDb } from '@/db/client';
import { posts } from '@/db/schema';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
});

const count = async () => (await getDb().select({ id: posts.id }).from(posts)).length;

describe('the editor at /editor/posts/new', () => {
  it('shows an unborn post (no id, an empty form, the writer as author) and stores nothing', async () => {
    signInAs(cast.C);
    const post = await unbornEditorPost('post');
    expect(post).toMatchObject({ id: '', kind: 'post', status: 'draft', author: { id: cast.C.id } });
    expect(post.fields).toMatchObject({ title: '', subtitle: '', markdown: '', slug: '', tags: [] });
    // A contributor may edit and submit their own draft, never publish it.
    expect(post.can).toMatchObject({ edit: true, submit: true, publish: false, schedule: false });
    signInAs(cast.E);
    expect((await unbornEditorPost('post')).can).toMatchObject({ edit: true, publish: true });
    expect(await count()).toBe(0);
  });

  it('refuses an unborn page to an author, and anything to nobody', async () => {
    signInAs(cast.A);
    await expect(unbornEditorPost('page')).rejects.toBeInstanceOf(ForbiddenError);
    signInAs(null);
    await expect(unbornEditorPost('post')).rejects.toThrow();
  });

  it('creates the draft on the first keystroke: the writer’s own, version 1, for the kinds they may write', async () => {
    signInAs(cast.A);
    const created = await createDraftAction({ kind: 'post' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.data).toMatchObject({ kind: 'post', status: 'draft', version: 1, author: { id: cast.A.id } });
    expect(created.data.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await count()).toBe(1);

    expect(await createDraftAction({ kind: 'page' })).toMatchObject({ ok: false, status: 403 });
    expect(await createDraftAction({ kind: 'essay' })).toMatchObject({ ok: false, status: 422 });
    signInAs(null);
    expect(await createDraftAction({ kind: 'post' })).toMatchObject({ ok: false, status: 401 });
    expect(await count()).toBe(1);
  });
});
