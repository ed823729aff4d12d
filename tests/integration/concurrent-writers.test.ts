/**
 * Issue 5, "two writers saving the same post for a minute": the author and an editor each load the
 * post, change its body and save it from the version they loaded, over and over, at the same time,
 * through the same data-layer calls the editor's save action makes (`getEditorPost`, `savePost`,
 * explicit saves). Every attempt must end in a new version or a ConflictError (nothing else), the
 * accepted versions must climb by exactly one with no gap or duplicate, each accepted save must
 * have been made from the text of the save just before it (no lost update), the stored body must be
 * the last accepted one, and post_revisions must hold one 'save' revision per accepted save with
 * exactly its text (the revision policy keeps every explicit save) and none for a refused one.
 *
 * Runs for CONCURRENT_WRITERS_SECONDS (default 60, the minute; shorten it locally only).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { auditLog, postRevisions, posts } from '@/db/schema';
import { getSessionClaims } from '@/lib/auth/session';
import { ConflictError } from '@/lib/auth/errors';
import { getEditorPost, type EditorPost } from '@/lib/posts/editor-queries';
import { savePost } from '@/lib/posts/mutations';
import { saveInputSchema } from '@/lib/posts/schemas';
import { resetDatabase } from '../support/db';
import { insertCast, insertPost, type Cast } from '../support/actors';
import { cookieFor } from '../support/sessions';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const SECONDS = Number(process.env.CONCURRENT_WRITERS_SECONDS ?? 60);
/** Lines of history kept in the body, so it stays a realistic size while every save still builds on the last. */
const KEEP_LINES = 40;

// Each writer runs inside its own async context: the mocked session answers with that writer's id,
// so the two loops really are two separate viewers, whatever order their awaits interleave in.
const signedIn = new AsyncLocalStorage<string>();

type Accepted = { who: string; attempt: number; base: number; version: number; loaded: string; markdown: string };
type Conflict = { who: string; attempt: number; base: number; current: number | undefined; markdown: string };
type Other = { who: string; attempt: number; error: string };

const accepted: Accepted[] = [];
const conflicts: Conflict[] = [];
const others: Other[] = [];
const attempts = new Map<string, number>();

let cast: Cast;
let postId: string;

beforeAll(async () => {
  await resetDatabase();
  cast = await insertCast();
  // One session per writer, made on first use.
  const cookies = new Map<string, ReturnType<typeof cookieFor>>();
  vi.mocked(getSessionClaims).mockImplementation(async () => {
    const id = signedIn.getStore();
    if (!id) return null;
    if (!cookies.has(id)) cookies.set(id, cookieFor(id));
    return cookies.get(id)!();
  });
  const post = await insertPost({ author: cast.A, title: 'Two writers', markdown: 'Start.\n', tags: ['Alpha', 'Beta'] });
  postId = post.id;
});

afterAll(() => {
  vi.mocked(getSessionClaims).mockReset();
});

/** One writer: load, append a line naming this attempt, save from the loaded version; until the deadline. */
async function writer(who: 'author' | 'editor', userId: string, deadline: number): Promise<void> {
  return signedIn.run(userId, async () => {
    let attempt = 0;
    while (performance.now() < deadline) {
      attempt += 1;
      attempts.set(who, attempt);
      let loaded: EditorPost;
      try {
        loaded = await getEditorPost(postId);
      } catch (error) {
        others.push({ who, attempt, error: `load: ${(error as Error).name}: ${(error as Error).message}` });
        continue;
      }
      const lines = loaded.fields.markdown
        .split('\n')
        .filter(Boolean)
        .slice(-(KEEP_LINES - 1));
      const markdown = [...lines, `${who} attempt ${attempt} (from version ${loaded.version}).`].join('\n\n') + '\n';
      // Exactly what savePostAction hands to savePost (the action's zod parse included).
      const input = saveInputSchema.parse({ id: postId, baseVersion: loaded.version, fields: { ...loaded.fields, markdown }, autosave: false });
      try {
        const saved = await savePost(input);
        accepted.push({ who, attempt, base: loaded.version, version: saved.post.version, loaded: loaded.fields.markdown, markdown });
      } catch (error) {
        if (error instanceof ConflictError) {
          conflicts.push({ who, attempt, base: loaded.version, current: (error.current as EditorPost | undefined)?.version, markdown });
        } else {
          others.push({ who, attempt, error: `save: ${(error as Error).name}: ${(error as Error).message}` });
        }
      }
    }
  });
}

describe('two writers saving the same post at once', () => {
  it(`for ${SECONDS} s: every save is a new version or a conflict, and every accepted text is kept`, { timeout: SECONDS * 1_000 + 120_000 }, async () => {
    const started = performance.now();
    const deadline = started + SECONDS * 1_000;
    await Promise.all([writer('author', cast.A.id, deadline), writer('editor', cast.E.id, deadline)]);
    const elapsed = (performance.now() - started) / 1_000;

    const byWriter = (list: { who: string }[], who: string) => list.filter((entry) => entry.who === who).length;
    console.log(
      `[concurrent-writers] ${elapsed.toFixed(1)} s: ${accepted.length + conflicts.length + others.length} attempts, ` +
        `${accepted.length} accepted (author ${byWriter(accepted, 'author')}, editor ${byWriter(accepted, 'editor')}), ` +
        `${conflicts.length} conflicts (author ${byWriter(conflicts, 'author')}, editor ${byWriter(conflicts, 'editor')}), ` +
        `${others.length} other errors`,
    );

    // 1. Nothing but "accepted" or "conflict".
    expect(others).toEqual([]);
    const total = [...attempts.values()].reduce((sum, n) => sum + n, 0);
    expect(accepted.length + conflicts.length).toBe(total);
    // The two really did race: both got saves in and both were refused at least once.
    for (const who of ['author', 'editor']) {
      expect(byWriter(accepted, who), `${who} accepted`).toBeGreaterThan(0);
      expect(byWriter(conflicts, who), `${who} conflicts`).toBeGreaterThan(0);
    }

    // 2. Accepted versions: 2, 3, 4, … with no gap and no duplicate, each one more than the version it was made from.
    const inOrder = [...accepted].sort((x, y) => x.version - y.version);
    expect(inOrder.map((save) => save.version)).toEqual(Array.from({ length: accepted.length }, (_, i) => i + 2));
    for (const save of accepted) expect(save.version, `${save.who} #${save.attempt}`).toBe(save.base + 1);

    // 3. No lost update: each accepted save was written over exactly the text the previous accepted save stored.
    let previous = 'Start.\n';
    for (const save of inOrder) {
      expect(save.loaded, `version ${save.version} was made from version ${save.base}'s text`).toBe(previous);
      previous = save.markdown;
    }

    // 4. A conflict names a newer version than the one the refused save started from.
    for (const refused of conflicts) {
      expect(refused.current, `${refused.who} #${refused.attempt}`).toBeGreaterThan(refused.base);
    }

    // 5. The stored post is the last accepted save.
    const last = inOrder.at(-1)!;
    const [row] = await getDb().select({ version: posts.version, markdown: posts.markdown }).from(posts).where(eq(posts.id, postId));
    expect(row).toEqual({ version: last.version, markdown: last.markdown });

    // 6. Revisions: the inserted one (version 1) plus exactly one 'save' per accepted save, with its text and
    //    its writer; no refused text anywhere.
    const revisions = await getDb()
      .select({ version: postRevisions.version, kind: postRevisions.kind, markdown: postRevisions.markdown, actorId: postRevisions.actorId })
      .from(postRevisions)
      .where(eq(postRevisions.postId, postId))
      .orderBy(asc(postRevisions.version));
    expect(revisions).toHaveLength(accepted.length + 1);
    expect(revisions[0]).toMatchObject({ version: 1, markdown: 'Start.\n' });
    const actor = { author: cast.A.id, editor: cast.E.id } as Record<string, string>;
    expect(revisions.slice(1)).toEqual(inOrder.map((save) => ({ version: save.version, kind: 'save', markdown: save.markdown, actorId: actor[save.who] })));
    const kept = new Set(revisions.map((revision) => revision.markdown));
    for (const refused of conflicts) expect(kept.has(refused.markdown), `${refused.who} #${refused.attempt} left no revision`).toBe(false);

    // 7. Plain saves write no audit entries (only status changes do): the refused ones left nothing either.
    expect(await getDb().select().from(auditLog)).toEqual([]);
  });
});
