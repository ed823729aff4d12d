/**
 * The post mutations against a real PostgreSQL: every mutation × every kind of viewer, refusals that
 * leave the database untouched, the server actions called as an attacker would, the contributor's
 * workflow, slugs and revisions.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts, postRevisions, type Post, type PostStatus } from '@/db/schema';
import { AuthError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { getEditorPost, listRevisions, getRevision } from '@/lib/posts/editor-queries';
import {
  createPost,
  createPreviewLink,
  deletePost,
  publishPost,
  restorePost,
  restoreRevision,
  revokePreviewLink,
  savePost,
  schedulePost,
  submitPost,
  trashPost,
  unpublishPost,
} from '@/lib/posts/mutations';
import { getPublicPost, getRedirectedSlug } from '@/lib/posts/queries';
import { emptyFields } from '../support/fields';
import {
  createPreviewLinkAction,
  deletePostAction,
  publishPostAction,
  renderPreviewAction,
  restorePostAction,
  restoreRevisionAction,
  revokePreviewLinkAction,
  savePostAction,
  schedulePostAction,
  submitPostAction,
  trashPostAction,
  unpublishPostAction,
} from '@/app/editor/posts/[id]/actions';
import { createPostAction } from '@/app/editor/posts/new/actions';
import { resetDatabase } from '../support/db';
import { ageRevisions, fieldsOf, getPostRow, insertCast, insertPost, revisionsOf, signInAs, snapshot, type Cast } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(null);
});

type Outcome = 'ok' | 'auth' | 'notfound' | 'forbidden';

/** What a call came to, as one word (anything unexpected keeps its name and message, for a readable diff). */
async function outcome(call: () => Promise<unknown>): Promise<Outcome | string> {
  try {
    await call();
    return 'ok';
  } catch (error) {
    if (error instanceof AuthError) return 'auth';
    if (error instanceof NotFoundError) return 'notfound';
    if (error instanceof ForbiddenError) return 'forbidden';
    return `unexpected ${(error as Error).name}: ${(error as Error).message}`;
  }
}

// ---------------------------------------------------------------------------------------------
// The matrix: mutation × viewer.
// ---------------------------------------------------------------------------------------------

type ViewerKey = 'anonymous' | 'C on A' | 'C on own' | 'A on own' | 'A2 on A' | 'E on A' | 'Z on A' | 'D on own';
const viewers: Record<ViewerKey, { viewer: keyof Cast | null; owner: keyof Cast }> = {
  anonymous: { viewer: null, owner: 'A' },
  'C on A': { viewer: 'C', owner: 'A' },
  'C on own': { viewer: 'C', owner: 'C' },
  'A on own': { viewer: 'A', owner: 'A' },
  'A2 on A': { viewer: 'A2', owner: 'A' },
  'E on A': { viewer: 'E', owner: 'A' },
  'Z on A': { viewer: 'Z', owner: 'A' },
  'D on own': { viewer: 'D', owner: 'D' },
};

type Ctx = { post: Post; revisionId: string };

type Row = {
  mutation: string;
  status: PostStatus;
  everPublished?: boolean;
  withToken?: boolean;
  /** Change the post after its first revision, so restoring that revision visibly changes something. */
  editedSinceRevision?: boolean;
  run: (ctx: Ctx) => Promise<unknown>;
  /** What an allowed call must have done. */
  effect: (ctx: Ctx) => Promise<void>;
  expected: Record<ViewerKey, Outcome>;
};

const FUTURE = () => new Date(Date.now() + 3_600_000);
const edited = (post: Post) => fieldsOf(post, { title: `${post.title} (edited)`, markdown: 'Edited body.\n' });

/** Most rows: nobody but the owner, an editor and an admin gets through; the contributor's own column varies. */
const usual = (cOwn: Outcome, others: Outcome = 'ok'): Record<ViewerKey, Outcome> => ({
  anonymous: 'auth',
  'C on A': 'notfound',
  'C on own': cOwn,
  'A on own': others,
  'A2 on A': 'notfound',
  'E on A': others,
  'Z on A': others,
  'D on own': 'auth',
});

async function expectSavedEdit({ post }: Ctx) {
  const row = (await getPostRow(post.id))!;
  expect(row.title).toBe(`${post.title} (edited)`);
  expect(row.markdown).toBe('Edited body.\n');
  expect(row.version).toBe(post.version + 1);
}

const rows: Row[] = [
  {
    mutation: 'savePost',
    status: 'draft',
    run: ({ post }) => savePost({ id: post.id, baseVersion: post.version, fields: edited(post), autosave: false }),
    effect: expectSavedEdit,
    expected: usual('ok'),
  },
  {
    mutation: 'savePost',
    status: 'published',
    run: ({ post }) => savePost({ id: post.id, baseVersion: post.version, fields: edited(post), autosave: false }),
    effect: async (ctx) => {
      await expectSavedEdit(ctx);
      expect((await getPostRow(ctx.post.id))!.status).toBe('published');
    },
    expected: usual('forbidden'),
  },
  {
    mutation: 'submitPost',
    status: 'draft',
    run: ({ post }) => submitPost({ id: post.id, baseVersion: post.version, fields: edited(post) }),
    effect: async (ctx) => {
      await expectSavedEdit(ctx);
      expect((await getPostRow(ctx.post.id))!.status).toBe('review');
    },
    expected: usual('ok'),
  },
  {
    mutation: 'publishPost',
    status: 'review',
    run: ({ post }) => publishPost({ id: post.id, baseVersion: post.version, fields: edited(post) }),
    effect: async (ctx) => {
      await expectSavedEdit(ctx);
      const row = (await getPostRow(ctx.post.id))!;
      expect(row.status).toBe('published');
      expect(row.publishAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(row.firstPublishedAt).not.toBeNull();
    },
    expected: usual('forbidden'),
  },
  {
    mutation: 'schedulePost',
    status: 'draft',
    run: ({ post }) => schedulePost({ id: post.id, baseVersion: post.version, fields: edited(post), publishAt: FUTURE() }),
    effect: async (ctx) => {
      await expectSavedEdit(ctx);
      const row = (await getPostRow(ctx.post.id))!;
      expect(row.status).toBe('scheduled');
      expect(row.publishAt!.getTime()).toBeGreaterThan(Date.now());
    },
    expected: usual('forbidden'),
  },
  {
    mutation: 'unpublishPost',
    status: 'published',
    run: ({ post }) => unpublishPost(post.id),
    effect: async ({ post }) => {
      const row = (await getPostRow(post.id))!;
      expect(row.status).toBe('draft');
      expect(row.publishAt).toBeNull();
      expect(await getPublicPost(post.slug)).toBeNull();
    },
    expected: usual('forbidden'),
  },
  {
    mutation: 'unpublishPost',
    status: 'draft',
    run: ({ post }) => unpublishPost(post.id),
    effect: async () => {},
    // A draft cannot be unpublished by anyone.
    expected: usual('forbidden', 'forbidden'),
  },
  {
    mutation: 'trashPost',
    status: 'draft',
    run: ({ post }) => trashPost(post.id),
    effect: async ({ post }) => expect((await getPostRow(post.id))!.status).toBe('trash'),
    expected: usual('ok'),
  },
  {
    mutation: 'trashPost',
    status: 'published',
    run: ({ post }) => trashPost(post.id),
    effect: async ({ post }) => {
      expect((await getPostRow(post.id))!.status).toBe('trash');
      expect(await getPublicPost(post.slug)).toBeNull();
    },
    expected: usual('forbidden'),
  },
  {
    mutation: 'restorePost',
    status: 'trash',
    run: ({ post }) => restorePost(post.id),
    effect: async ({ post }) => expect((await getPostRow(post.id))!.status).toBe('draft'),
    expected: usual('ok'),
  },
  {
    mutation: 'restorePost',
    status: 'trash',
    everPublished: true,
    run: ({ post }) => restorePost(post.id),
    effect: async ({ post }) => expect((await getPostRow(post.id))!.status).toBe('draft'),
    expected: usual('forbidden'),
  },
  {
    mutation: 'deletePost',
    status: 'trash',
    run: ({ post }) => deletePost(post.id),
    effect: async ({ post }) => {
      expect(await getPostRow(post.id)).toBeUndefined();
      expect(await revisionsOf(post.id)).toEqual([]);
    },
    expected: usual('ok'),
  },
  {
    mutation: 'deletePost',
    status: 'trash',
    everPublished: true,
    run: ({ post }) => deletePost(post.id),
    effect: async ({ post }) => expect(await getPostRow(post.id)).toBeUndefined(),
    expected: usual('forbidden'),
  },
  {
    mutation: 'deletePost',
    status: 'published',
    run: ({ post }) => deletePost(post.id),
    effect: async () => {},
    // Only a trashed post can be deleted, whoever asks.
    expected: usual('forbidden', 'forbidden'),
  },
  {
    mutation: 'restoreRevision',
    status: 'draft',
    editedSinceRevision: true,
    run: ({ post, revisionId }) => restoreRevision({ id: post.id, revisionId, baseVersion: 2 }),
    effect: async ({ post }) => {
      const row = (await getPostRow(post.id))!;
      expect(row.title).toBe(post.title);
      expect(row.version).toBe(3);
    },
    expected: usual('ok'),
  },
  {
    mutation: 'restoreRevision',
    status: 'published',
    editedSinceRevision: true,
    run: ({ post, revisionId }) => restoreRevision({ id: post.id, revisionId, baseVersion: 2 }),
    effect: async ({ post }) => expect((await getPostRow(post.id))!.title).toBe(post.title),
    expected: usual('forbidden'),
  },
  {
    mutation: 'createPreviewLink',
    status: 'draft',
    run: ({ post }) => createPreviewLink(post.id),
    effect: async ({ post }) => expect((await getPostRow(post.id))!.previewToken).toMatch(/^[A-Za-z0-9_-]{43}$/),
    expected: usual('ok'),
  },
  {
    mutation: 'createPreviewLink',
    status: 'trash',
    run: ({ post }) => createPreviewLink(post.id),
    effect: async () => {},
    // Trash has no preview, whoever asks (but those who cannot see it still get "not found").
    expected: usual('forbidden', 'forbidden'),
  },
  {
    mutation: 'revokePreviewLink',
    status: 'draft',
    withToken: true,
    run: ({ post }) => revokePreviewLink(post.id),
    effect: async ({ post }) => expect((await getPostRow(post.id))!.previewToken).toBeNull(),
    expected: usual('ok'),
  },
];

describe('every mutation × every viewer', () => {
  // One test per row; each viewer acts on a fresh post of its own, so rows stay independent.
  for (const row of rows) {
    const label = `${row.mutation} on a ${row.everPublished ? 'once-published ' : ''}${row.status} post`;
    it(`${label}: ${Object.entries(row.expected)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`, async () => {
      const got = {} as Record<ViewerKey, Outcome | string>;
      for (const [key, who] of Object.entries(viewers) as [ViewerKey, (typeof viewers)[ViewerKey]][]) {
        const post = await insertPost({
          author: cast[who.owner],
          status: row.status,
          firstPublishedAt: row.everPublished || row.status === 'published' ? new Date(Date.now() - 86_400_000) : null,
          previewToken: row.withToken ? randomBytes(32).toString('base64url') : null,
        });
        const [revision] = await revisionsOf(post.id);
        if (row.editedSinceRevision) {
          await getDb().update(posts).set({ title: 'Changed since', markdown: 'Changed.\n', version: 2 }).where(eq(posts.id, post.id));
        }
        const ctx = { post, revisionId: revision.id };
        const before = row.expected[key] === 'ok' ? null : await snapshot();
        signInAs(who.viewer ? cast[who.viewer] : null);
        got[key] = await outcome(() => row.run(ctx));
        if (got[key] === 'ok') await row.effect(ctx);
        else if (before) expect(await snapshot(), `${key}: a refused ${row.mutation} changed the database`).toEqual(before);
      }
      expect(got).toEqual(row.expected);
    });
  }

  it('createPost: anyone signed in and active may start a post; anonymous and disabled may not', async () => {
    const expected: Record<'anonymous' | keyof Cast, Outcome> = { anonymous: 'auth', C: 'ok', A: 'ok', A2: 'ok', E: 'ok', Z: 'ok', D: 'auth' };
    const got = {} as Record<string, Outcome | string>;
    for (const key of Object.keys(expected) as ('anonymous' | keyof Cast)[]) {
      const before = await snapshot();
      signInAs(key === 'anonymous' ? null : cast[key]);
      let created: Awaited<ReturnType<typeof createPost>> | undefined;
      got[key] = await outcome(async () => (created = await createPost()));
      if (got[key] === 'ok') {
        const row = (await getPostRow(created!.id))!;
        expect(row).toMatchObject({ status: 'draft', authorId: cast[key as keyof Cast].id, title: '', version: 1 });
        expect(row.slug).toMatch(/^untitled-[0-9a-f]{6}$/);
      } else {
        expect(await snapshot(), `${key}: a refused createPost changed the database`).toEqual(before);
      }
    }
    expect(got).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Server actions: public POST endpoints, called with garbage and as the wrong person.
// ---------------------------------------------------------------------------------------------

/** A message a person can read: ours, not a stack, SQL or a driver's words. */
function expectHumanMessage(error: unknown) {
  expect(typeof error).toBe('string');
  const text = error as string;
  expect(text.length).toBeGreaterThan(3);
  expect(text.length).toBeLessThan(300);
  expect(text).not.toMatch(/\n|\bat \w+ \(|select |insert |update |violates|syntax|postgres|drizzle|\[object/i);
}

describe('server actions', () => {
  const idOnlyActions = {
    unpublishPostAction,
    trashPostAction,
    restorePostAction,
    deletePostAction,
    createPreviewLinkAction,
    revokePreviewLinkAction,
    restoreRevisionAction,
  };
  const fieldActions = { savePostAction, submitPostAction, publishPostAction, schedulePostAction };
  const allActions = { ...fieldActions, ...idOnlyActions };

  const garbageInputs = (post: Post, withFields: boolean): Record<string, unknown> => ({
    null: null,
    undefined: undefined,
    "{id:'x'}": { id: 'x' },
    'a number': 42,
    'an array': [post.id],
    'an id with SQL in it': { id: `${post.id}' or '1'='1` },
    ...(withFields
      ? {
          'a version that is not a number': { id: post.id, baseVersion: '1', fields: fieldsOf(post) },
          'version 0': { id: post.id, baseVersion: 0, fields: fieldsOf(post) },
          'no fields': { id: post.id, baseVersion: post.version },
          'tags as a string': { id: post.id, baseVersion: post.version, fields: { ...fieldsOf(post), tags: 'a,b' } },
        }
      : {}),
  });

  it('refuse garbage input with a readable message and change nothing', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.A);
    const before = await snapshot();
    for (const [name, action] of Object.entries(allActions)) {
      for (const [what, input] of Object.entries(garbageInputs(post, name in fieldActions))) {
        const result = await action(input);
        expect(result, `${name}(${what})`).toMatchObject({ ok: false });
        if (!result.ok) expectHumanMessage(result.error);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuse bad fields (oversize body, bad slug, javascript: image) naming the field, and change nothing', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.A);
    const before = await snapshot();
    const bad = {
      markdown: { markdown: 'x'.repeat(1_000_001) },
      slug: { slug: 'Bad Slug!' },
      heroImage: { heroImage: 'javascript:alert(1)' },
    };
    for (const [name, action] of Object.entries(fieldActions)) {
      for (const [field, override] of Object.entries(bad)) {
        const input = { id: post.id, baseVersion: post.version, fields: fieldsOf(post, override), publishAt: FUTURE().toISOString() };
        const result = await action(input);
        expect(result, `${name} with bad ${field}`).toMatchObject({ ok: false, field });
        if (!result.ok) expectHumanMessage(result.error);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuse a schedule time that is not a date, or is in the past', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.A);
    const before = await snapshot();
    for (const publishAt of ['tomorrow', '', null, new Date(Date.now() - 60_000).toISOString()]) {
      const result = await schedulePostAction({ id: post.id, baseVersion: post.version, fields: fieldsOf(post), publishAt });
      expect(result, String(publishAt)).toMatchObject({ ok: false, field: 'publishAt' });
      if (!result.ok) expectHumanMessage(result.error);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuse another author on A's post as 'not found', and anonymous callers as signed out, changing nothing", async () => {
    const post = await insertPost({ author: cast.A, status: 'published' });
    const [revision] = await revisionsOf(post.id);
    const valid = {
      id: post.id,
      revisionId: revision.id,
      baseVersion: post.version,
      fields: fieldsOf(post, { title: 'Hijacked' }),
      publishAt: FUTURE().toISOString(),
      autosave: false,
    };
    const before = await snapshot();
    for (const [name, action] of Object.entries(allActions)) {
      signInAs(cast.A2);
      const asOther = await action(valid);
      expect(asOther, `${name} as A2`).toMatchObject({ ok: false, status: 404, error: 'This post does not exist, or you cannot see it.' });
      signInAs(null);
      const asNobody = await action(valid);
      expect(asNobody, `${name} anonymous`).toMatchObject({ ok: false, status: 401, signedOut: true });
      signInAs(cast.D);
      const asDisabled = await action(valid);
      expect(asDisabled, `${name} disabled`).toMatchObject({ ok: false, signedOut: true });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('createPostAction: anonymous and disabled are told to sign in; a writer is sent to the new draft', async () => {
    for (const who of [null, cast.D]) {
      signInAs(who);
      const before = await snapshot();
      expect(await createPostAction(null)).toMatchObject({ ok: false, signedOut: true });
      expect(await snapshot()).toEqual(before);
    }
    signInAs(cast.C);
    const redirected = await createPostAction(null).catch((e: unknown) => e);
    expect(String((redirected as { digest?: string }).digest)).toMatch(/^NEXT_REDIRECT;.*\/editor\/posts\/[0-9a-f-]{36};/);
  });

  it('renderPreviewAction renders only for someone signed in', async () => {
    signInAs(null);
    expect(await renderPreviewAction({ markdown: '# Hi' })).toMatchObject({ ok: false, signedOut: true });
    signInAs(cast.D);
    expect(await renderPreviewAction({ markdown: '# Hi' })).toMatchObject({ ok: false, signedOut: true });
    signInAs(cast.C);
    const result = await renderPreviewAction({ markdown: '# Hi\n\n<script>alert(1)</script>' });
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.data.html).not.toContain('<script');
    expect(await renderPreviewAction({ markdown: 'x'.repeat(1_000_001) })).toMatchObject({ ok: false, field: 'markdown' });
  });

  it('a contributor calling publishPostAction (or scheduling) on their own draft is refused; the post stays a draft', async () => {
    const post = await insertPost({ author: cast.C, status: 'draft' });
    signInAs(cast.C);
    const before = await snapshot();
    const input = { id: post.id, baseVersion: post.version, fields: fieldsOf(post, { title: 'Going live' }) };
    const published = await publishPostAction(input);
    expect(published).toMatchObject({ ok: false, error: 'You are not allowed to publish this post.' });
    const scheduled = await schedulePostAction({ ...input, publishAt: FUTURE().toISOString() });
    expect(scheduled).toMatchObject({ ok: false, error: 'You are not allowed to schedule this post.' });
    expect((await getPostRow(post.id))!.status).toBe('draft');
    expect(await snapshot()).toEqual(before);
  });

  it('an allowed action returns the editor view, never a raw row', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.A);
    const result = await savePostAction({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { title: 'Saved' }) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.version).toBe(2);
    expect(result.data.fields.title).toBe('Saved');
    expect(Object.keys(result.data)).not.toContain('html');
    expect(Object.keys(result.data)).not.toContain('search');
    expect(JSON.stringify(result.data)).not.toContain(cast.A.email!);
  });
});

// ---------------------------------------------------------------------------------------------
// The contributor's workflow.
// ---------------------------------------------------------------------------------------------

describe('a contributor', () => {
  it('saves and submits their own draft, cannot publish it, and loses it to the editor once it is published', async () => {
    signInAs(cast.C);
    const created = await createPost();
    const saved = await savePost({
      id: created.id,
      baseVersion: created.version,
      fields: { ...emptyFields(), title: 'My first piece', markdown: 'Hello.\n' },
      autosave: false,
    });
    expect(saved.post.fields.title).toBe('My first piece');
    expect(saved.post.can).toMatchObject({ edit: true, submit: true, publish: false, schedule: false });

    const submitted = await submitPost({ id: created.id, baseVersion: saved.post.version, fields: saved.post.fields });
    expect(submitted.post.status).toBe('review');
    // Still theirs to polish while in review.
    const polished = await savePost({
      id: created.id,
      baseVersion: submitted.post.version,
      fields: { ...submitted.post.fields, markdown: 'Hello, polished.\n' },
      autosave: false,
    });
    expect(polished.post.status).toBe('review');

    const fields = polished.post.fields;
    const base = polished.post.version;
    await expect(publishPost({ id: created.id, baseVersion: base, fields })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(schedulePost({ id: created.id, baseVersion: base, fields, publishAt: FUTURE() })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(submitPost({ id: created.id, baseVersion: base, fields })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getPostRow(created.id))!.status).toBe('review');

    signInAs(cast.E);
    const published = await publishPost({ id: created.id, baseVersion: base, fields });
    expect(published.post.status).toBe('published');

    signInAs(cast.C);
    const seen = await getEditorPost(created.id);
    expect(seen.can).toMatchObject({ view: true, edit: false, trash: false, delete: false, unpublish: false });
    const before = await snapshot();
    const now = published.post.version;
    await expect(savePost({ id: created.id, baseVersion: now, fields: { ...fields, title: 'Changed' }, autosave: false })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(savePost({ id: created.id, baseVersion: now, fields, autosave: true })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(unpublishPost(created.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(trashPost(created.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deletePost(created.id)).rejects.toBeInstanceOf(ForbiddenError);
    const [firstRevision] = await revisionsOf(created.id);
    await expect(restoreRevision({ id: created.id, revisionId: firstRevision.id, baseVersion: now })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await snapshot()).toEqual(before);

    // Even after an editor trashes it, the contributor cannot delete or restore what was once public.
    signInAs(cast.E);
    await trashPost(created.id);
    signInAs(cast.C);
    await expect(deletePost(created.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(restorePost(created.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getPostRow(created.id))!.status).toBe('trash');
  });

  it("cannot see or touch another contributor's or author's posts", async () => {
    const other = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.C);
    await expect(getEditorPost(other.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listRevisions(other.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

// ---------------------------------------------------------------------------------------------
// Slugs.
// ---------------------------------------------------------------------------------------------

describe('slugs', () => {
  async function draftOfA() {
    signInAs(cast.A);
    return createPost();
  }

  it("a draft's slug follows the title while the form sends an empty slug", async () => {
    const draft = await draftOfA();
    const first = await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Hello World' }, autosave: false });
    expect(first.post.slug).toBe('hello-world');
    const second = await savePost({ id: draft.id, baseVersion: 2, fields: { ...emptyFields(), title: 'Hello Again, World!' }, autosave: true });
    expect(second.post.slug).toBe('hello-again-world');
    // A second draft with the same title gets a free variant.
    const other = await createPost();
    const twin = await savePost({ id: other.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Hello again world' }, autosave: false });
    expect(twin.post.slug).toBe('hello-again-world-2');
  });

  it('after the first publish the slug stays put when the title changes', async () => {
    const draft = await draftOfA();
    const published = await publishPost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'First Title', markdown: 'Body.\n' } });
    expect(published.post.slug).toBe('first-title');
    const retitled = await savePost({
      id: draft.id,
      baseVersion: published.post.version,
      fields: { ...published.post.fields, title: 'A Better Title', slug: '' },
      autosave: false,
    });
    expect(retitled.post.slug).toBe('first-title');
    expect(await getPublicPost('first-title')).toMatchObject({ title: 'A Better Title' });
    // Unpublished and edited again: still the URL it was once public at.
    await unpublishPost(draft.id);
    const again = await savePost({
      id: draft.id,
      baseVersion: retitled.post.version + 1,
      fields: { ...retitled.post.fields, title: 'Third Title', slug: '' },
      autosave: false,
    });
    expect(again.post.slug).toBe('first-title');
  });

  it('changing the slug of a published post by hand leaves a redirect from the old one', async () => {
    const draft = await draftOfA();
    const published = await publishPost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Old Name', markdown: 'Body.\n' } });
    expect(published.post.slug).toBe('old-name');
    const renamed = await savePost({
      id: draft.id,
      baseVersion: published.post.version,
      fields: { ...published.post.fields, slug: 'new-name' },
      autosave: false,
    });
    expect(renamed.post.slug).toBe('new-name');
    expect(renamed.publicPaths).toEqual(expect.arrayContaining(['/posts/old-name', '/posts/new-name']));
    expect(await getRedirectedSlug('old-name')).toBe('new-name');
    expect(await getPublicPost('old-name')).toBeNull();
    expect(await getPublicPost('new-name')).toMatchObject({ title: 'Old Name' });
    // Renaming back: the live post wins over its own redirect, and the other name now redirects.
    const back = await savePost({ id: draft.id, baseVersion: renamed.post.version, fields: { ...renamed.post.fields, slug: 'old-name' }, autosave: false });
    expect(back.post.slug).toBe('old-name');
    expect(await getRedirectedSlug('old-name')).toBeNull();
    expect(await getRedirectedSlug('new-name')).toBe('old-name');
    expect(await getPublicPost('old-name')).not.toBeNull();
  });

  it("a hand-typed slug another post uses is refused on the 'slug' field, changing nothing", async () => {
    await insertPost({ author: cast.A2, status: 'published', slug: 'taken' });
    const draft = await draftOfA();
    const before = await snapshot();
    const error = await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Mine', slug: 'taken' }, autosave: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('slug');
    expect(await snapshot()).toEqual(before);
    // The same through the action.
    const result = await savePostAction({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Mine', slug: 'taken' } });
    expect(result).toMatchObject({ ok: false, field: 'slug' });
  });

  it("a hand-typed slug that is another post's old, still-redirecting address is refused, and the redirect keeps working", async () => {
    const draft = await draftOfA();
    const published = await publishPost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Old Name', markdown: 'Body.\n' } });
    await savePost({ id: draft.id, baseVersion: published.post.version, fields: { ...published.post.fields, slug: 'new-name' }, autosave: false });
    signInAs(cast.A2);
    const other = await createPost();
    const before = await snapshot();
    const error = await savePost({ id: other.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Mine', slug: 'old-name' }, autosave: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(/old address of another post/);
    expect(await snapshot()).toEqual(before);
    expect(await getRedirectedSlug('old-name')).toBe('new-name');
  });

  it("a new draft whose title matches another post's old slug does not take over (and break) that redirect", async () => {
    // A renames a published post: /posts/old-name now redirects to /posts/new-name.
    const draft = await draftOfA();
    const published = await publishPost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Old Name', markdown: 'Body.\n' } });
    await savePost({ id: draft.id, baseVersion: published.post.version, fields: { ...published.post.fields, slug: 'new-name' }, autosave: false });
    expect(await getRedirectedSlug('old-name')).toBe('new-name');
    // A2 starts an unrelated draft that happens to have the same title; the slug follows the title.
    signInAs(cast.A2);
    const other = await createPost();
    const saved = await savePost({ id: other.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Old name' }, autosave: true });
    // Readers following the old link must still reach A's post.
    expect.soft(await getRedirectedSlug('old-name'), 'redirect /posts/old-name after another draft was titled "Old name"').toBe('new-name');
    expect.soft(saved.post.slug).not.toBe('old-name');
    // Even once the draft moves on to another title, the old link must work again.
    await savePost({ id: other.id, baseVersion: 2, fields: { ...emptyFields(), title: 'Something else' }, autosave: true });
    expect.soft(await getRedirectedSlug('old-name'), 'redirect /posts/old-name after the draft was retitled').toBe('new-name');
  });

  it('publishing or scheduling without a title is refused on the title field, changing nothing', async () => {
    const draft = await draftOfA();
    const before = await snapshot();
    for (const call of [
      () => publishPost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), markdown: 'Body.\n' } }),
      () => schedulePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), markdown: 'Body.\n' }, publishAt: FUTURE() }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('title');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the layer itself refuses an oversize body (not only the action), changing nothing', async () => {
    const draft = await draftOfA();
    const before = await snapshot();
    const error = await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), markdown: 'x'.repeat(1_000_001) }, autosave: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('markdown');
    expect(await snapshot()).toEqual(before);
  });

  it('a long title that collides still gets a slug the form can send back (at most 120 characters)', async () => {
    const title = 'word '.repeat(40).trim(); // slugifies to exactly 120 characters
    const base = 'word-'.repeat(24).slice(0, 120).replace(/-$/, '');
    await insertPost({ author: cast.A2, status: 'published', slug: base });
    const draft = await draftOfA();
    const saved = await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title }, autosave: false });
    expect(saved.post.slug).not.toBe(base);
    expect.soft(saved.post.slug.length, `slug "${saved.post.slug}"`).toBeLessThanOrEqual(120);
    // Published, the form sends the stored slug back with every save: it must pass the form's own schema.
    const published = await publishPost({ id: draft.id, baseVersion: 2, fields: saved.post.fields });
    const again = await savePostAction({ id: draft.id, baseVersion: published.post.version, fields: { ...published.post.fields, subtitle: 'Typo fixed' } });
    expect.soft(again.ok ? 'ok' : `${again.field}: ${again.error}`, 'saving a published post with its own stored slug').toBe('ok');
  });

  it('a Cyrillic title gives a readable transliterated slug', async () => {
    const draft = await draftOfA();
    const saved = await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Привет, мир' }, autosave: false });
    expect(saved.post.slug).toBe('privet-mir');
  });

  it('an emoji-only title gives an untitled slug', async () => {
    const draft = await draftOfA();
    const saved = await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: '🎉🚀✨' }, autosave: false });
    expect(saved.post.slug).toMatch(/^untitled(-\d+)?$/);
  });
});

// ---------------------------------------------------------------------------------------------
// Revisions.
// ---------------------------------------------------------------------------------------------

describe('revisions', () => {
  const kinds = async (postId: string) => (await revisionsOf(postId)).map((r) => r.kind);

  it('an explicit save keeps a save revision with its text', async () => {
    signInAs(cast.A);
    const draft = await createPost();
    await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'Kept', markdown: 'Kept text.\n' }, autosave: false });
    const revisions = await revisionsOf(draft.id);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ kind: 'save', version: 2, title: 'Kept', markdown: 'Kept text.\n', actorId: cast.A.id });
  });

  it('autosaves keep at most one revision per 10 minutes, holding the newest of them', async () => {
    signInAs(cast.A);
    const draft = await createPost();
    const one = await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'T', markdown: 'one\n' }, autosave: true });
    const two = await savePost({ id: draft.id, baseVersion: one.post.version, fields: { ...one.post.fields, markdown: 'two\n' }, autosave: true });
    expect(two.post.version).toBe(3);
    expect(await kinds(draft.id)).toEqual(['autosave']);
    expect((await revisionsOf(draft.id))[0]).toMatchObject({ version: 3, markdown: 'two\n' });

    await ageRevisions(draft.id, 11);
    await savePost({ id: draft.id, baseVersion: two.post.version, fields: { ...two.post.fields, markdown: 'three\n' }, autosave: true });
    const revisions = await revisionsOf(draft.id);
    expect(revisions.map((r) => r.kind)).toEqual(['autosave', 'autosave']);
    expect(revisions[1].markdown).toBe('three\n');
  });

  it('publishing keeps a publish revision; an explicit save between autosaves always keeps one', async () => {
    signInAs(cast.A);
    const draft = await createPost();
    const a = await savePost({ id: draft.id, baseVersion: 1, fields: { ...emptyFields(), title: 'T', markdown: 'a\n' }, autosave: true });
    const b = await savePost({ id: draft.id, baseVersion: a.post.version, fields: { ...a.post.fields, markdown: 'b\n' }, autosave: false });
    const c = await publishPost({ id: draft.id, baseVersion: b.post.version, fields: { ...b.post.fields, markdown: 'c\n' } });
    expect(await kinds(draft.id)).toEqual(['autosave', 'save', 'publish']);
    const publish = (await revisionsOf(draft.id))[2];
    expect(publish).toMatchObject({ version: c.post.version, markdown: 'c\n' });
  });

  it('restoring a revision brings back its title and text as a new version, with a restore revision', async () => {
    signInAs(cast.A);
    const draft = await createPost();
    const v2 = await savePost({
      id: draft.id,
      baseVersion: 1,
      fields: { ...emptyFields(), title: 'Original', markdown: 'Original text.\n', tags: ['Old tag'] },
      autosave: false,
    });
    const v3 = await savePost({
      id: draft.id,
      baseVersion: 2,
      fields: { ...v2.post.fields, title: 'Rewritten', markdown: 'New text.\n', tags: ['New tag'] },
      autosave: false,
    });
    const original = (await revisionsOf(draft.id)).find((r) => r.title === 'Original')!;
    const restored = await restoreRevision({ id: draft.id, revisionId: original.id, baseVersion: v3.post.version });
    expect(restored.post.version).toBe(4);
    expect(restored.post.fields).toMatchObject({ title: 'Original', markdown: 'Original text.\n', tags: ['Old tag'] });
    const row = (await getPostRow(draft.id))!;
    expect(row).toMatchObject({ title: 'Original', markdown: 'Original text.\n', version: 4 });
    expect(row.html).toContain('Original text.');
    expect(await kinds(draft.id)).toEqual(['save', 'save', 'restore']);
    // The rewritten text is not lost: it is still a revision.
    expect((await revisionsOf(draft.id)).some((r) => r.markdown === 'New text.\n')).toBe(true);
    // A stale base version is a conflict, not a silent overwrite.
    await expect(restoreRevision({ id: draft.id, revisionId: original.id, baseVersion: 3 })).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('a revision of another post cannot be restored onto this one', async () => {
    signInAs(cast.A);
    const mine = await insertPost({ author: cast.A });
    const theirs = await insertPost({ author: cast.A2 });
    const [foreign] = await revisionsOf(theirs.id);
    const before = await snapshot();
    await expect(restoreRevision({ id: mine.id, revisionId: foreign.id, baseVersion: 1 })).rejects.toBeInstanceOf(NotFoundError);
    expect(await snapshot()).toEqual(before);
  });

  it("listRevisions and getRevision refuse A2 on A's post as not found", async () => {
    const post = await insertPost({ author: cast.A });
    const [revision] = await revisionsOf(post.id);
    signInAs(cast.A2);
    await expect(listRevisions(post.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getRevision(post.id, revision.id)).rejects.toBeInstanceOf(NotFoundError);
    signInAs(null);
    await expect(listRevisions(post.id)).rejects.toBeInstanceOf(AuthError);
    signInAs(cast.E);
    expect(await listRevisions(post.id)).toHaveLength(1);
    signInAs(cast.A);
    expect((await getRevision(post.id, revision.id)).markdown).toBe(post.markdown);
  });

  it('deleting a post removes its revisions too', async () => {
    const post = await insertPost({ author: cast.A, status: 'trash' });
    signInAs(cast.A);
    await deletePost(post.id);
    expect(await getDb().select().from(postRevisions).where(eq(postRevisions.postId, post.id))).toEqual([]);
  });
});
