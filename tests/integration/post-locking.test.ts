/**
 * Optimistic locking of post saves against a real PostgreSQL: a stale save is refused with the newer
 * version, parallel saves from one version are serialised by the row lock (one wins), and no
 * accepted save is ever lost.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConflictError } from '@/lib/auth/errors';
import type { EditorPost } from '@/lib/posts/editor-queries';
import { savePost } from '@/lib/posts/mutations';
import type { PostFields } from '@/lib/posts/schemas';
import { emptyFields } from '../support/fields';
import { savePostAction } from '@/app/editor/posts/[id]/actions';
import { resetDatabase } from '../support/db';
import { getPostRow, insertCast, insertPost, revisionsOf, signInAs, snapshot, type Cast } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(cast.A);
});

const text = (markdown: string, title = 'Locked'): PostFields => ({ ...emptyFields(), title, markdown, tags: ['Alpha', 'Beta'] });

describe('optimistic locking', () => {
  it('a save from an old version is refused with the newer version, and the stored text stays the first save', async () => {
    const post = await insertPost({ author: cast.A, title: 'Locked', markdown: 'Original.\n' });
    const first = await savePost({ id: post.id, baseVersion: 1, fields: text('First save.\n'), autosave: false });
    expect(first.post.version).toBe(2);

    const before = await snapshot();
    const error = await savePost({ id: post.id, baseVersion: 1, fields: text('Second save, stale.\n'), autosave: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    const current = (error as ConflictError<EditorPost>).current!;
    expect(current.version).toBe(2);
    expect(current.fields.markdown).toBe('First save.\n');
    expect(current.id).toBe(post.id);

    const row = (await getPostRow(post.id))!;
    expect(row).toMatchObject({ version: 2, markdown: 'First save.\n' });
    expect(await snapshot()).toEqual(before);
  });

  it('an autosave from an old version is refused the same way', async () => {
    const post = await insertPost({ author: cast.A });
    await savePost({ id: post.id, baseVersion: 1, fields: text('Saved.\n'), autosave: false });
    await expect(savePost({ id: post.id, baseVersion: 1, fields: text('Autosaved.\n'), autosave: true })).rejects.toBeInstanceOf(ConflictError);
    // A base version from the future is just as wrong.
    await expect(savePost({ id: post.id, baseVersion: 7, fields: text('Future.\n'), autosave: false })).rejects.toBeInstanceOf(ConflictError);
    expect((await getPostRow(post.id))!.markdown).toBe('Saved.\n');
  });

  it('through savePostAction the conflict comes back as { ok: false, conflict: <version 2> }', async () => {
    const post = await insertPost({ author: cast.A });
    const first = await savePostAction({ id: post.id, baseVersion: 1, fields: text('First.\n') });
    expect(first).toMatchObject({ ok: true, data: { version: 2 } });
    const second = await savePostAction({ id: post.id, baseVersion: 1, fields: text('Second.\n') });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error).toBe('Someone saved a newer version of this post while you were editing.');
    expect(second.conflict).toMatchObject({ id: post.id, version: 2, fields: { markdown: 'First.\n' } });
    expect((await getPostRow(post.id))!.markdown).toBe('First.\n');
  });

  it('a conflict carries the current text only to someone who may see the post; others get not found', async () => {
    // An editor saving over A's post gets A's current text back on conflict (editors see everything).
    const post = await insertPost({ author: cast.A, previewToken: 'p'.repeat(43) });
    await savePost({ id: post.id, baseVersion: 1, fields: text('By A.\n'), autosave: false });
    signInAs(cast.E);
    const error = (await savePost({ id: post.id, baseVersion: 1, fields: text('By E.\n'), autosave: false }).catch((e: unknown) => e)) as ConflictError<EditorPost>;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.current!.fields.markdown).toBe('By A.\n');
    // A2 cannot see the post at all: not found, never a conflict carrying A's text.
    signInAs(cast.A2);
    const hidden = await savePost({ id: post.id, baseVersion: 1, fields: text('By A2.\n'), autosave: false }).catch((e: unknown) => e);
    expect(hidden).not.toBeInstanceOf(ConflictError);
    expect((hidden as Error).name).toBe('NotFoundError');
  });
});

describe('concurrency', () => {
  it('20 parallel saves from the same version: exactly one wins, 19 conflict, and the winner is what is stored', async () => {
    const post = await insertPost({ author: cast.A });
    // Start from some version N > 1.
    let base = 1;
    for (let i = 0; i < 3; i++) base = (await savePost({ id: post.id, baseVersion: base, fields: text(`Warm-up ${i}.\n`), autosave: false })).post.version;
    expect(base).toBe(4);

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => savePost({ id: post.id, baseVersion: base, fields: text(`Parallel ${i}.\n`), autosave: false })),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, post: r.value.post }] : []));
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const failure of lost) expect(failure.reason).toBeInstanceOf(ConflictError);
    for (const failure of lost) expect((failure.reason as ConflictError<EditorPost>).current!.version).toBe(base + 1);

    const row = (await getPostRow(post.id))!;
    expect(row.version).toBe(base + 1);
    expect(row.markdown).toBe(`Parallel ${won[0].i}.\n`);
    const revisions = await revisionsOf(post.id);
    expect(revisions.filter((r) => r.markdown.startsWith('Parallel'))).toMatchObject([{ version: base + 1, markdown: `Parallel ${won[0].i}.\n` }]);
  });

  it('30 sequential saves, each from the version the last one returned: versions climb by one and nothing is lost', async () => {
    const post = await insertPost({ author: cast.A });
    let version = 1;
    const accepted: { version: number; markdown: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const markdown = `Sequential ${i}.\n`;
      const saved = await savePost({ id: post.id, baseVersion: version, fields: text(markdown), autosave: false });
      expect(saved.post.version).toBe(version + 1);
      version = saved.post.version;
      accepted.push({ version, markdown });
    }
    const row = (await getPostRow(post.id))!;
    expect(row).toMatchObject({ version: 31, markdown: 'Sequential 29.\n' });
    // Every accepted explicit save has its own revision with its text.
    const revisions = await revisionsOf(post.id);
    for (const save of accepted) {
      expect(revisions.find((r) => r.version === save.version && r.kind === 'save')?.markdown, `version ${save.version}`).toBe(save.markdown);
    }
  });

  it('two people saving at once, the loser retrying from the conflict, lose nothing', async () => {
    const post = await insertPost({ author: cast.A });
    const accepted: { version: number; markdown: string }[] = [];
    let conflicts = 0;
    // Each save reads the session synchronously when called, so switching the signed-in person just
    // before each call lets A and E race on the same post.
    const attempt = async (who: 'A' | 'E', round: number, base: number) => {
      const markdown = `${who} round ${round}.\n`;
      for (;;) {
        signInAs(cast[who]);
        const saving = savePost({ id: post.id, baseVersion: base, fields: text(markdown), autosave: false });
        try {
          const saved = await saving;
          accepted.push({ version: saved.post.version, markdown });
          return saved.post.version;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          conflicts += 1;
          base = (error as ConflictError<EditorPost>).current!.version;
        }
      }
    };
    let version = 1;
    for (let round = 0; round < 5; round++) {
      const [a, e] = await Promise.all([attempt('A', round, version), attempt('E', round, version)]);
      version = Math.max(a, e);
    }
    expect(accepted).toHaveLength(10);
    expect(conflicts).toBeGreaterThanOrEqual(5);
    expect(accepted.map((s) => s.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
    const revisions = await revisionsOf(post.id);
    for (const save of accepted) {
      expect(revisions.find((r) => r.version === save.version && r.kind === 'save')?.markdown).toBe(save.markdown);
    }
    const last = accepted.reduce((x, y) => (y.version > x.version ? y : x));
    expect((await getPostRow(post.id))!).toMatchObject({ version: 11, markdown: last.markdown });
  });

  it('two drafts saved at the same moment with the same title both succeed, with different slugs', async () => {
    // resolveSlug picks a free slug inside each post's own transaction; two transactions can pick the
    // same one. The unique index then refuses the second with a raw database error unless handled.
    const failures: string[] = [];
    for (let round = 0; round < 5; round++) {
      const one = await insertPost({ author: cast.A });
      const two = await insertPost({ author: cast.A });
      const title = `Same title ${round}`;
      const results = await Promise.allSettled([
        savePost({ id: one.id, baseVersion: 1, fields: text('One.\n', title), autosave: true }),
        savePost({ id: two.id, baseVersion: 1, fields: text('Two.\n', title), autosave: true }),
      ]);
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        const cause = (r.reason as { cause?: { code?: string; constraint?: string } }).cause;
        failures.push(`${(r.reason as Error).name} (${cause?.code ?? '-'} ${cause?.constraint ?? '-'}): ${(r.reason as Error).message.slice(0, 40)}`);
      }
      const slugs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.post.slug] : []));
      expect(new Set(slugs).size).toBe(slugs.length);
    }
    expect(failures).toEqual([]);
  });

  it('two posts given the same hand-typed slug at the same moment: one gets it, the other a slug ValidationError', async () => {
    const one = await insertPost({ author: cast.A });
    const two = await insertPost({ author: cast.A });
    const results = await Promise.allSettled([
      savePost({ id: one.id, baseVersion: 1, fields: { ...text('One.\n'), slug: 'wanted' }, autosave: false }),
      savePost({ id: two.id, baseVersion: 1, fields: { ...text('Two.\n'), slug: 'wanted' }, autosave: false }),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toMatchObject({ name: 'ValidationError', field: 'slug' });
  });
});
