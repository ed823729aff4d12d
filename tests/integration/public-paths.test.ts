import { beforeEach, describe, expect, it, vi } from 'vitest';
import { savePost } from '@/lib/posts/mutations';
import { resolvePublicPath } from '@/lib/site/exists';
import { fieldsOf, insertCast, insertPost, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

// What proxy.ts asks before a reader page renders: found, moved (301), or a real 404.
describe('resolvePublicPath', () => {
  let cast: Cast;
  beforeEach(async () => {
    await resetDatabase();
    cast = await insertCast();
  });

  it('a live post is found; a draft, a future one and an unknown slug are not', async () => {
    const live = await insertPost({ author: cast.A, status: 'published', tags: ['Live tag'] });
    const draft = await insertPost({ author: cast.A2, status: 'draft', tags: ['Draft tag'] });
    const future = await insertPost({ author: cast.A2, status: 'scheduled' });
    expect(await resolvePublicPath('posts', live.slug)).toEqual({ found: true });
    expect(await resolvePublicPath('posts', draft.slug)).toEqual({ found: false, movedTo: null });
    expect(await resolvePublicPath('posts', future.slug)).toEqual({ found: false, movedTo: null });
    expect(await resolvePublicPath('posts', 'never-existed')).toEqual({ found: false, movedTo: null });
    expect(await resolvePublicPath('posts', '\u0000')).toEqual({ found: false, movedTo: null });
    expect(await resolvePublicPath('tags', 'live-tag')).toEqual({ found: true });
    expect(await resolvePublicPath('tags', 'draft-tag')).toEqual({ found: false, movedTo: null });
    expect(await resolvePublicPath('authors', cast.A.slug)).toEqual({ found: true });
    // A2 has only a draft and a future post: not an author readers can visit.
    expect(await resolvePublicPath('authors', cast.A2.slug)).toEqual({ found: false, movedTo: null });
  });

  it("a published post renamed by hand: its old slug moves to the new one, until it is unpublished", async () => {
    const post = await insertPost({ author: cast.A, status: 'published', slug: 'old-name', title: 'Old name' });
    signInAs(cast.A);
    await savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { slug: 'new-name' }), autosave: false });
    expect(await resolvePublicPath('posts', 'old-name')).toEqual({ found: false, movedTo: '/posts/new-name' });
    expect(await resolvePublicPath('posts', 'new-name')).toEqual({ found: true });
  });

  it('a preview token is found until the post is trashed', async () => {
    const token = 'a'.repeat(43);
    await insertPost({ author: cast.A, status: 'draft', previewToken: token });
    expect(await resolvePublicPath('preview', token)).toEqual({ found: true });
    expect(await resolvePublicPath('preview', 'b'.repeat(43))).toEqual({ found: false, movedTo: null });
  });
});
