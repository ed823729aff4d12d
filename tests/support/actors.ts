/**
 * Integration-test helpers for the editor's data layer: a cast of signed-in people, posts inserted
 * directly, "act as" through the mocked session module, and a snapshot of everything a post owns so
 * a refused call can be shown to have changed nothing.
 *
 * A test file using `signInAs` must mock the session module itself (vi.mock is per file):
 *   vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
 *   vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));
 */
import { randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { vi } from 'vitest';
import { getDb } from '@/db/client';
import { posts, postRevisions, postTags, slugRedirects, tags, users, type Post, type PostKind, type PostStatus, type Role, type User } from '@/db/schema';
import { getSessionClaims } from '@/lib/auth/session';
import { renderedColumns } from '@/lib/posts/render';
import type { PostFields } from '@/lib/posts/schemas';
import { emptyFields } from './fields';
import { slugify } from '@/lib/slug';
import { cookieFor } from './sessions';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

const renders = new Map<string, ReturnType<typeof renderedColumns>>();
/** The real pipeline, once per distinct text. */
const rendered = (markdown: string) => {
  if (!renders.has(markdown)) renders.set(markdown, renderedColumns(markdown));
  return renders.get(markdown)!;
};

/** A person with an email (so they count as an account) unless `email: null` (an imported author), optionally disabled. */
export async function insertUser(role: Role, options: { name?: string; disabled?: boolean; email?: string | null } = {}): Promise<User> {
  const name = options.name ?? `${role} ${unique()}`;
  const [row] = await getDb()
    .insert(users)
    .values({
      name,
      slug: slugify(`${name}-${unique()}`, 'user'),
      email: options.email === undefined ? `${slugify(name, 'user')}-${unique()}@example.test` : options.email,
      role,
      disabledAt: options.disabled ? new Date() : null,
    })
    .returning();
  return row;
}

export type Cast = { C: User; A: User; A2: User; E: User; Z: User; D: User };

/** Contributor C, author A, another author A2, editor E, admin Z and a disabled author D. */
export async function insertCast(): Promise<Cast> {
  return {
    C: await insertUser('contributor', { name: 'Cora Contributor' }),
    A: await insertUser('author', { name: 'Ada Author' }),
    A2: await insertUser('author', { name: 'Abe Otherauthor' }),
    E: await insertUser('editor', { name: 'Eve Editor' }),
    Z: await insertUser('admin', { name: 'Zed Admin' }),
    D: await insertUser('author', { name: 'Dee Disabled', disabled: true }),
  };
}

/**
 * Everything after this call runs as `user` (null: nobody signed in), through a real session row
 * (tests/support/sessions.ts): ending that session or bumping the user's version signs them out.
 */
export function signInAs(user: { id: string } | null): void {
  if (!user) vi.mocked(getSessionClaims).mockResolvedValue(null);
  else vi.mocked(getSessionClaims).mockImplementation(cookieFor(user.id));
}

export type PostSetup = {
  author: User;
  /** 'post' (default) or 'page'. */
  kind?: PostKind;
  status?: PostStatus;
  title?: string;
  slug?: string;
  markdown?: string;
  publishAt?: Date | null;
  firstPublishedAt?: Date | null;
  previewToken?: string | null;
  tags?: string[];
  version?: number;
};

/**
 * A post in any state, inserted directly (bypassing the layer), with tags, one 'save' revision and,
 * when it has been public, a redirect from an older slug, so "changed nothing" has something to compare.
 */
export async function insertPost(setup: PostSetup): Promise<Post> {
  const status = setup.status ?? 'draft';
  const title = setup.title ?? `Post ${unique()}`;
  const markdown = setup.markdown ?? `Some text about ${title}.\n`;
  const live = status === 'published' || status === 'scheduled';
  // Defaults: a published post went live yesterday, a scheduled one goes live tomorrow.
  const day = 86_400_000;
  const publishAt = setup.publishAt !== undefined ? setup.publishAt : live ? new Date(Date.now() + (status === 'scheduled' ? day : -day)) : null;
  const firstPublishedAt = setup.firstPublishedAt !== undefined ? setup.firstPublishedAt : status === 'published' ? publishAt : null;
  const db = getDb();
  const [row] = await db
    .insert(posts)
    .values({
      slug: setup.slug ?? slugify(`${title}-${randomUUID().slice(0, 8)}`),
      kind: setup.kind ?? 'post',
      title,
      markdown,
      ...(await rendered(markdown)),
      authorId: setup.author.id,
      status,
      publishAt,
      firstPublishedAt,
      previewToken: setup.previewToken ?? null,
      version: setup.version ?? 1,
    })
    .returning();
  const tagNames = setup.tags ?? ['Alpha', 'Beta'];
  if (tagNames.length > 0) {
    const wanted = tagNames.map((name) => ({ name, slug: slugify(name, 'tag') }));
    await db.insert(tags).values(wanted).onConflictDoNothing({ target: tags.slug });
    const found = await db
      .select({ id: tags.id, slug: tags.slug })
      .from(tags)
      .where(
        inArray(
          tags.slug,
          wanted.map((t) => t.slug),
        ),
      );
    await db.insert(postTags).values(wanted.map((t, position) => ({ postId: row.id, tagId: found.find((f) => f.slug === t.slug)!.id, position })));
  }
  await db.insert(postRevisions).values({
    postId: row.id,
    version: row.version,
    kind: 'save',
    actorId: setup.author.id,
    title,
    markdown,
    fields: { title, slug: row.slug, tags: tagNames },
  });
  if (firstPublishedAt) await db.insert(slugRedirects).values({ slug: `old-${row.slug}`, postId: row.id });
  return row;
}

/** The form's fields for a stored post (as the editor would send them), with overrides. */
export function fieldsOf(post: Pick<Post, 'title' | 'markdown'>, overrides: Partial<PostFields> = {}): PostFields {
  return { ...emptyFields(), title: post.title, markdown: post.markdown, tags: ['Alpha', 'Beta'], ...overrides };
}

export async function getPostRow(id: string): Promise<Post | undefined> {
  const [row] = await getDb().select().from(posts).where(eq(posts.id, id));
  return row;
}

/**
 * Every row of the tables a post mutation can touch, in a stable order, for before/after comparison
 * (one round trip: the comparison runs around every refused call).
 */
export async function snapshot(): Promise<Record<string, unknown>> {
  const all = (table: string, order: string) => sql.raw(`(select coalesce(json_agg(t order by ${order}), '[]'::json) from ${table} t)`);
  const result = await getDb().execute<{ state: Record<string, unknown> }>(sql`
    select json_build_object(
      'posts', ${all('posts', 't.id')},
      'postTags', ${all('post_tags', 't.post_id, t.position')},
      'postAuthors', ${all('post_authors', 't.post_id, t.position')},
      'series', ${all('series', 't.slug')},
      'revisions', ${all('post_revisions', 't.id')},
      'redirects', ${all('slug_redirects', 't.slug')},
      'tags', ${all('tags', 't.slug')},
      'audit', ${all('audit_log', 't.id')}
    ) as state`);
  return result.rows[0].state;
}

export async function revisionsOf(postId: string) {
  return getDb().select().from(postRevisions).where(eq(postRevisions.postId, postId)).orderBy(asc(postRevisions.createdAt), asc(postRevisions.version));
}

/** Moves a post's revisions back in time (to test the autosave window without waiting). */
export async function ageRevisions(postId: string, minutes: number): Promise<void> {
  await getDb()
    .update(postRevisions)
    .set({ createdAt: sql`${postRevisions.createdAt} - make_interval(mins => ${minutes})` })
    .where(eq(postRevisions.postId, postId));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The error a call is refused with, or null when it succeeds. */
export async function refused(work: () => Promise<unknown>): Promise<Error | null> {
  return work().then(
    () => null,
    (error: Error) => error,
  );
}
