/**
 * Preview links against a real PostgreSQL: an unguessable token shows a draft to whoever holds it,
 * until it is replaced, revoked, or the post is trashed.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError } from '@/lib/auth/errors';
import { getEditorPost } from '@/lib/posts/editor-queries';
import { createPreviewLink, revokePreviewLink, restorePost, trashPost } from '@/lib/posts/mutations';
import { getPostByPreviewToken, getPublicPost } from '@/lib/posts/queries';
import { resetDatabase } from '../support/db';
import { getPostRow, insertCast, insertPost, signInAs, snapshot, type Cast } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(cast.A);
});

/** The same token with its last character changed (still 43 base64url characters). */
const tweak = (token: string) => token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');

describe('preview links', () => {
  it('a new link is a 43-character base64url token that shows the draft', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft', title: 'Not yet', markdown: 'Secret draft text.\n' });
    const token = await createPreviewLink(post.id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(await getPublicPost(post.slug)).toBeNull();
    const seen = await getPostByPreviewToken(token);
    expect(seen).toMatchObject({ slug: post.slug, title: 'Not yet' });
    expect(seen!.html).toContain('Secret draft text.');
    // The author sees the link in the editor; it is stored as given.
    expect((await getEditorPost(post.id)).previewToken).toBe(token);
    // Each link is fresh.
    const another = await insertPost({ author: cast.A, status: 'draft' });
    expect(await createPreviewLink(another.id)).not.toBe(token);
  });

  it('a wrong token, a token of another length, or garbage gives null', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const token = await createPreviewLink(post.id);
    for (const wrong of [
      tweak(token),
      token.slice(0, 42),
      `${token}A`,
      token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
      '',
      ' '.repeat(43),
      `${token.slice(0, 42)}%`,
      "' or '1'='1' --------------------------------",
      `${token.slice(0, 42)}\u0000`,
    ]) {
      expect(await getPostByPreviewToken(wrong), JSON.stringify(wrong)).toBeNull();
    }
    expect(await getPostByPreviewToken(token)).not.toBeNull();
  });

  it('a revoked link, or one replaced by a newer link, gives null', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const first = await createPreviewLink(post.id);
    const second = await createPreviewLink(post.id);
    expect(await getPostByPreviewToken(first)).toBeNull();
    expect(await getPostByPreviewToken(second)).not.toBeNull();
    await revokePreviewLink(post.id);
    expect(await getPostByPreviewToken(second)).toBeNull();
    expect((await getPostRow(post.id))!.previewToken).toBeNull();
  });

  it('a trashed post is not shown through its link', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const token = await createPreviewLink(post.id);
    await trashPost(post.id);
    expect(await getPostByPreviewToken(token)).toBeNull();
    // The editor cannot mint a new link for a post in the trash either.
    await expect(createPreviewLink(post.id)).rejects.toMatchObject({ name: 'ForbiddenError' });
    await restorePost(post.id);
    // Restored: a new link works as before.
    const fresh = await createPreviewLink(post.id);
    expect(await getPostByPreviewToken(fresh)).not.toBeNull();
  });

  it("A2 cannot create or revoke a preview link for A's post, nor see A's link", async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const token = await createPreviewLink(post.id);
    signInAs(cast.A2);
    const before = await snapshot();
    await expect(createPreviewLink(post.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokePreviewLink(post.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getEditorPost(post.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await snapshot()).toEqual(before);
    expect(await getPostByPreviewToken(token)).not.toBeNull();
  });

  it('an editor can preview anyone’s draft; a contributor their own', async () => {
    const byA = await insertPost({ author: cast.A, status: 'review' });
    signInAs(cast.E);
    expect(await getPostByPreviewToken(await createPreviewLink(byA.id))).not.toBeNull();
    const byC = await insertPost({ author: cast.C, status: 'draft' });
    signInAs(cast.C);
    expect(await getPostByPreviewToken(await createPreviewLink(byC.id))).not.toBeNull();
    await expect(createPreviewLink(byA.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('creating and revoking links is audited', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    await createPreviewLink(post.id);
    await revokePreviewLink(post.id);
    const { audit } = (await snapshot()) as { audit: { action: string; actor_id: string; target_id: string }[] };
    expect(audit.map((row) => [row.action, row.actor_id, row.target_id])).toEqual([
      ['preview.create', cast.A.id, post.id],
      ['preview.revoke', cast.A.id, post.id],
    ]);
  });
});
