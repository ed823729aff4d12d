/**
 * Every mutation refuses whom it should (issue 5), over HTTP, as a browser would send it but without
 * the UI: every server action of the production build (from its manifest) and every route handler
 * that accepts POST/PUT/PATCH/DELETE (from the file tree) is called as anonymous, as a contributor,
 * as an author on someone else's things and as a disabled account whose session cookie was issued
 * before it was disabled. Each refusal must carry the layer's refusal message, no 5xx, and leave
 * every table exactly as it was. An action or route without a case here fails the suite, and so
 * does a case whose action no longer exists.
 *
 * What "refused" looks like on the wire: a route handler answers 401/403/404 with JSON. Next.js
 * answers every server action 200 with the returned value in the RSC payload; a refused action
 * marks its response (lib/actions.ts) and the server (lib/server/respond.ts) gives it the status
 * (401 signed out, 403 forbidden, 404 not visible, 409 conflict, 422 invalid) with the same
 * payload, so the form still shows the message. For actions this spec asserts a 4xx, an RSC
 * payload carrying `ok: false` and the expected message, no redirect, and nothing changed.
 *
 * Each action also has a control where one can exist: the same kind of call by someone who may
 * make it succeeds, so a refusal here cannot be the result of a malformed request.
 *
 * Everything this spec creates has an @mutations.test email or a mutations-http- slug and is
 * removed afterwards (the reader specs run around it, and /setup must still find no account).
 */
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { generateSync } from 'otplib/functional';
import { test, expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import type pg from 'pg';
import sharp from 'sharp';
import {
  builtActions,
  callAction,
  changes,
  connect,
  describeChanges,
  Form,
  mutatingRouteHandlers,
  pagePattern,
  sessionCookie,
  signedInContext,
  signInWith,
  snapshot,
  snapshotQuery,
  type ActionAnswer,
  type BuiltAction,
  type Snapshot,
} from './mutations-helpers';
import { emptyFields } from '../support/fields';

const DOMAIN = '@mutations.test';
const PASSWORD = 'mutation pass phrase 1';

/** The four people every mutation must refuse (each on something they may not touch). */
const actors = ['anonymous', 'contributor', 'author', 'disabled'] as const;
type Actor = (typeof actors)[number];
/** People for the controls: the owner of the posts and media, an active admin. */
type Caller = Actor | 'owner' | 'admin';

const SIGN_IN = 'You need to sign in.';
const HIDDEN = 'This post does not exist, or you cannot see it.';
const FORBIDDEN = 'You are not allowed to do that.';
const notAllowed = (what: string) => `You are not allowed to ${what}.`;

/** A refusal changes nothing, but for the failure counters it names (`counts`: a wrong password is counted). */
type Outcome = { refused: string; counts?: string[] } | { allowed: string; tables: string[] };
const refused = (message: string, counts?: string[]): Outcome => ({ refused: message, counts });
/** Anonymous and the disabled account never get past requireViewer(). */
const signedOut = { anonymous: refused(SIGN_IN), disabled: refused(SIGN_IN) };

type World = {
  run: string;
  users: Record<'owner' | 'contributor' | 'author' | 'disabled' | 'admin' | 'target', string>;
  posts: Record<'ownerDraft' | 'ownerLive' | 'ownerTrash' | 'contribDraft' | 'contribLive' | 'contribTrashed', string>;
  revisions: Record<'ownerDraft' | 'contribLive', string>;
  media: Record<'owner' | 'ownerSpare', string>;
  tag: string;
  inviteToken: string;
  /** A live password-reset link of someone else (the control of resetPasswordAction uses it). */
  resetToken: string;
};

type Control = {
  as: Caller;
  why: string;
  path?: (w: World) => string;
  args: (w: World) => Promise<unknown[]> | unknown[];
  check: (answer: ActionAnswer, w: World, args: unknown[]) => Promise<void> | void;
};

type ActionCase = {
  file: string;
  name: string;
  /** The page that uses the action: where the browser posts it. */
  path: (w: World) => string;
  args: (w: World, actor: Actor) => Promise<unknown[]> | unknown[];
  outcomes: Record<Actor, Outcome>;
  /** Someone who may: the same call succeeds (or why no such call exists). */
  control: Control | { none: string };
};

// -------------------------------------------------------------------------------------------------
// Setup: people, posts, media, a tag and an invite, inserted directly; everyone signed in over HTTP.

let db: pg.Client;
let tablesQuery: string;
/** Every table before this spec created anything. */
let initial: Snapshot;
let world: World;
let baseURL: string;
const http = {} as Record<Caller, APIRequestContext>;
let originalSettings: Record<string, unknown> | null = null;
/** The forgot-password counters of client addresses (127.0.0.1 is every spec's) as this spec found them. */
let resetCounters: { key: string; hits: number; window_started_at: Date }[] = [];
let counter = 0;

const slug = (what: string) => `mutations-http-${world.run}-${what}-${++counter}`;

const emailOf = (label: string) => `${label}.${world.run}${DOMAIN}`;

async function insertUser(role: string, label: string, passwordHash: string | null): Promise<string> {
  const { rows } = await db.query<{ id: string }>(`insert into users (email, name, slug, role, password_hash) values ($1, $2, $3, $4::role, $5) returning id`, [
    emailOf(label),
    `Mutation ${label}`,
    slug(label),
    role,
    passwordHash,
  ]);
  return rows[0].id;
}

async function insertPost(
  authorId: string,
  status: 'draft' | 'scheduled' | 'trash',
  options: { everPublished?: boolean; previewToken?: string | null } = {},
): Promise<string> {
  const future = new Date('2099-01-01T09:00:00Z');
  // Nothing here is ever public: "live" posts are scheduled for 2099.
  const publishAt = status === 'scheduled' ? future : null;
  const firstPublishedAt = options.everPublished ? new Date(Date.now() - 2 * 86_400_000) : null;
  const title = `Mutations HTTP ${status} ${++counter}`;
  const { rows } = await db.query<{ id: string }>(
    `insert into posts (slug, title, author_id, status, publish_at, first_published_at, markdown, html, preview_token)
     values ($1, $2, $3, $4::post_status, $5, $6, $7, $8, $9) returning id`,
    [slug('post'), title, authorId, status, publishAt, firstPublishedAt, 'Original text.', '<p>Original text.</p>', options.previewToken ?? null],
  );
  await db.query(`insert into post_tags (post_id, tag_id, position) values ($1, $2, 0)`, [rows[0].id, world.tag]);
  return rows[0].id;
}

async function insertRevision(postId: string, actorId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into post_revisions (post_id, version, kind, actor_id, title, markdown, fields)
     values ($1, 1, 'save', $2, 'An older title', 'Older text.', '{"subtitle":"older"}') returning id`,
    [postId, actorId],
  );
  return rows[0].id;
}

/** Named so that the app's own slug for the name is the slug (saves look tags up by slugified name). */
async function insertTag(label: string): Promise<string> {
  const name = `Mutations HTTP ${world.run} ${label} ${++counter}`;
  const { rows } = await db.query<{ id: string }>(`insert into tags (name, slug) values ($1, $2) returning id`, [name, name.toLowerCase().replaceAll(' ', '-')]);
  return rows[0].id;
}

async function insertMedia(uploaderId: string): Promise<string> {
  const key = randomBytes(16).toString('hex');
  const { rows } = await db.query<{ id: string }>(
    `insert into media (storage_key, filename, content_type, bytes, width, height, alt, sha256, uploader_id)
     values ($1, 'mutation.png', 'image/png', 100, 10, 10, 'original alt', $2, $3) returning id`,
    [key, randomBytes(32).toString('hex'), uploaderId],
  );
  return rows[0].id;
}

/** Removes everything this spec (or an earlier, interrupted run of it) created. */
async function cleanUp(): Promise<void> {
  const mine = `select id from users where email like '%${DOMAIN}'`;
  await db.query(`delete from audit_log where actor_id in (${mine}) or target_id in (select id::text from users where email like '%${DOMAIN}')
                   or detail->>'email' like '%${DOMAIN}'`);
  await db.query(`delete from media_blobs b using media m where m.uploader_id in (${mine})
                   and (b.key = m.storage_key or b.key like m.storage_key || '/%')`);
  await db.query(`delete from media where uploader_id in (${mine})`);
  await db.query(`delete from posts where author_id in (${mine})`);
  await db.query(`delete from tags where slug like 'mutations-http-%'`);
  await db.query(`delete from redirects where from_path like '/mutations-http-%'`);
  await db.query(`delete from webhooks where url like '%/mutations-http-%'`);
  await db.query(`delete from content_api_keys where name like 'mutations-http-%'`);
  await db.query(`delete from members where email like '%${DOMAIN}'`);
  await db.query(`delete from login_throttle where key like 'pair:%${DOMAIN}|%' or key like 'account:%${DOMAIN}'`);
  await db.query(`delete from rate_limits where key in (select 'password-check:' || id from users where email like '%${DOMAIN}')`);
  await db.query(`delete from rate_limits where key in (select 'two-factor-check:' || id from users where email like '%${DOMAIN}')`);
  await db.query(`delete from users where email like '%${DOMAIN}'`);
  await db.query(`delete from rate_limits where key like 'password-reset:ip:%'`);
  for (const row of resetCounters) {
    await db.query(`insert into rate_limits (key, hits, window_started_at) values ($1, $2, $3)`, [row.key, row.hits, row.window_started_at]);
  }
}

test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(60_000);
  baseURL = testInfo.project.use.baseURL!;
  db = await connect();
  tablesQuery = await snapshotQuery(db);
  resetCounters = (await db.query(`select key, hits, window_started_at from rate_limits where key like 'password-reset:ip:%'`)).rows;
  await cleanUp();
  const { rows: settings } = await db.query(`select title, description, default_cta, time_zone, posts_per_page, updated_at from site_settings where id = 1`);
  originalSettings = settings[0] ?? null;
  initial = await snapshot(db, tablesQuery);

  world = { run: Date.now().toString(36) } as World;
  // The same argon2id the app uses (lib/auth/password.ts); verify() reads the parameters from the hash.
  const passwordHash = await hash(PASSWORD, { algorithm: 2 });
  world.tag = await insertTag('tag');
  world.users = {
    owner: await insertUser('author', 'owner', passwordHash),
    contributor: await insertUser('contributor', 'contributor', passwordHash),
    author: await insertUser('author', 'author', passwordHash),
    // An admin: whatever it is refused, it is refused for being disabled, not for its role.
    disabled: await insertUser('admin', 'disabled', passwordHash),
    admin: await insertUser('admin', 'admin', passwordHash),
    target: await insertUser('contributor', 'target', passwordHash),
  };
  const { owner, contributor } = world.users;
  world.posts = {
    ownerDraft: await insertPost(owner, 'draft', { previewToken: randomBytes(32).toString('base64url') }),
    ownerLive: await insertPost(owner, 'scheduled'),
    ownerTrash: await insertPost(owner, 'trash'),
    contribDraft: await insertPost(contributor, 'draft'),
    contribLive: await insertPost(contributor, 'scheduled'),
    contribTrashed: await insertPost(contributor, 'trash', { everPublished: true }),
  };
  world.revisions = {
    ownerDraft: await insertRevision(world.posts.ownerDraft, owner),
    contribLive: await insertRevision(world.posts.contribLive, contributor),
  };
  world.media = { owner: await insertMedia(owner), ownerSpare: await insertMedia(owner) };
  // An invite for someone else, pending: the control accepts it.
  const invitee = await insertUser('contributor', 'invitee', null);
  world.inviteToken = randomBytes(32).toString('base64url');
  await db.query(`insert into password_tokens (token_hash, user_id, expires_at) values (encode(sha256($1::bytea), 'hex'), $2, now() + interval '1 hour')`, [
    world.inviteToken,
    invitee,
  ]);

  // A reset link for someone with a password, pending: the control sets a new password with it.
  const resettee = await insertUser('author', 'resettee', passwordHash);
  world.resetToken = randomBytes(32).toString('base64url');
  await db.query(
    `insert into password_tokens (token_hash, user_id, purpose, expires_at) values (encode(sha256($1::bytea), 'hex'), $2, 'reset', now() + interval '1 hour')`,
    [world.resetToken, resettee],
  );

  http.anonymous = await playwrightRequest.newContext({ baseURL });
  for (const who of ['owner', 'contributor', 'author', 'disabled', 'admin'] as const) {
    http[who] = await signedInContext(baseURL, emailOf(who), PASSWORD);
  }
  // Disabled after its session cookie was issued: the cookie itself stays valid for next-auth.
  await db.query(`update users set disabled_at = now() where id = $1`, [world.users.disabled]);
});

test.afterAll(async () => {
  for (const context of Object.values(http)) await context.dispose();
  if (db) {
    await cleanUp();
    if (originalSettings) {
      const s = originalSettings;
      await db.query(`update site_settings set title = $1, description = $2, default_cta = $3, time_zone = $4, posts_per_page = $5, updated_at = $6 where id = 1`, [
        s.title,
        s.description,
        s.default_cta,
        s.time_zone,
        s.posts_per_page,
        s.updated_at,
      ]);
    } else {
      await db.query(`delete from site_settings`);
    }
    // The specs that run after this one find the database as this one found it.
    const left = changes(initial, await snapshot(db, tablesQuery));
    await db.end();
    printTable();
    if (left.length) throw new Error(`mutations-http.spec.ts left rows behind:\n${describeChanges(left)}`);
  }
});

// -------------------------------------------------------------------------------------------------
// Arguments

async function postVersion(id: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>(`select version from posts where id = $1`, [id]);
  return rows[0].version;
}

/** The post form's payload: a full set of fields, as the editor sends them, over the given post. */
async function postInput(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    baseVersion: await postVersion(id),
    fields: { ...emptyFields(), title: 'Overwritten over HTTP', tags: ['Mutations HTTP injected'], markdown: 'Overwritten over HTTP.' },
    ...extra,
  };
}

async function postStatus(id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>(`select status from posts where id = $1`, [id]);
  return rows[0]?.status;
}

/** The target post for each actor: the contributor's own post where its role refuses, else the owner's. */
const pick = (w: World, actor: Actor, contributorsOwn: keyof World['posts'] | null, owners: keyof World['posts']) =>
  actor === 'contributor' && contributorsOwn ? w.posts[contributorsOwn] : w.posts[owners];

const ok = (answer: ActionAnswer) => {
  expect(answer.status, answer.body).toBe(200);
  expect(answer.result, answer.body).toMatchObject({ ok: true });
};

const editorPost = (id: string) => `/editor/posts/${id}`;
const FUTURE = '2099-06-01T09:00:00+00:00';

// -------------------------------------------------------------------------------------------------
// The table: every server action, what each actor gets, and a control.

const postCases: ActionCase[] = [
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'savePostAction',
    path: (w) => editorPost(w.posts.ownerDraft),
    args: async (w, actor) => [await postInput(pick(w, actor, 'contribLive', 'ownerDraft'), { autosave: false })],
    outcomes: { ...signedOut, contributor: refused(notAllowed('edit this post')), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author saves their own draft',
      args: async (w) => [await postInput(await insertPost(w.users.owner, 'draft'), { autosave: false })],
      check: ok,
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'submitPostAction',
    path: (w) => editorPost(w.posts.ownerDraft),
    args: async (w) => [await postInput(w.posts.ownerDraft)],
    outcomes: { ...signedOut, contributor: refused(HIDDEN), author: refused(HIDDEN) },
    control: {
      as: 'contributor',
      why: 'a contributor submits their own draft',
      args: async (w) => [await postInput(await insertPost(w.users.contributor, 'draft'))],
      check: async (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: { status: 'review' } });
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'publishPostAction',
    path: (w) => editorPost(w.posts.ownerDraft),
    args: async (w, actor) => [await postInput(pick(w, actor, 'contribDraft', 'ownerDraft'))],
    outcomes: { ...signedOut, contributor: refused(notAllowed('publish this post')), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author publishes their own draft',
      args: async (w) => [await postInput(await insertPost(w.users.owner, 'draft'))],
      check: async (answer) => {
        ok(answer);
        const id = (answer.result as { data: { id: string } }).data.id;
        expect(await postStatus(id)).toBe('published');
        // Public only for this moment: unpublished through the app again (so every cache hears of
        // it, as it heard of the publish), and the reader specs never meet it.
        const unpublish = built.find((a) => a.name === 'unpublishPostAction')!;
        ok(await callAction(http.owner, baseURL, { path: editorPost(id), id: unpublish.id, args: [{ id }] }));
        expect(await postStatus(id)).toBe('draft');
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'schedulePostAction',
    path: (w) => editorPost(w.posts.ownerDraft),
    args: async (w, actor) => [await postInput(pick(w, actor, 'contribDraft', 'ownerDraft'), { publishAt: FUTURE })],
    outcomes: { ...signedOut, contributor: refused(notAllowed('schedule this post')), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author schedules their own draft',
      args: async (w) => [await postInput(await insertPost(w.users.owner, 'draft'), { publishAt: FUTURE })],
      check: async (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: { status: 'scheduled' } });
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'unpublishPostAction',
    path: (w) => editorPost(w.posts.ownerLive),
    args: (w, actor) => [{ id: pick(w, actor, 'contribLive', 'ownerLive') }],
    outcomes: { ...signedOut, contributor: refused(notAllowed('unpublish this post')), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author unpublishes their own scheduled post',
      args: async (w) => [{ id: await insertPost(w.users.owner, 'scheduled') }],
      check: async (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: { status: 'draft' } });
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'trashPostAction',
    path: (w) => editorPost(w.posts.ownerDraft),
    args: (w, actor) => [{ id: pick(w, actor, 'contribLive', 'ownerDraft') }],
    outcomes: { ...signedOut, contributor: refused(notAllowed('move this post to the trash')), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author trashes their own draft',
      args: async (w) => [{ id: await insertPost(w.users.owner, 'draft') }],
      check: async (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: { status: 'trash' } });
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'restorePostAction',
    path: (w) => editorPost(w.posts.ownerTrash),
    args: (w, actor) => [{ id: pick(w, actor, 'contribTrashed', 'ownerTrash') }],
    outcomes: { ...signedOut, contributor: refused(notAllowed('restore this post')), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author restores their own trashed post',
      args: async (w) => [{ id: await insertPost(w.users.owner, 'trash') }],
      check: async (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: { status: 'draft' } });
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'deletePostAction',
    path: (w) => editorPost(w.posts.ownerTrash),
    args: (w, actor) => [{ id: pick(w, actor, 'contribTrashed', 'ownerTrash') }],
    outcomes: { ...signedOut, contributor: refused(notAllowed('delete this post')), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author deletes their own trashed post',
      args: async (w) => [{ id: await insertPost(w.users.owner, 'trash') }],
      check: async (answer, _w, [input]) => {
        ok(answer);
        expect(await postStatus((input as { id: string }).id)).toBeUndefined();
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'restoreRevisionAction',
    path: (w) => `${editorPost(w.posts.ownerDraft)}/revisions`,
    args: async (w, actor) => {
      const [id, revisionId] = actor === 'contributor' ? [w.posts.contribLive, w.revisions.contribLive] : [w.posts.ownerDraft, w.revisions.ownerDraft];
      return [{ id, revisionId, baseVersion: await postVersion(id) }];
    },
    outcomes: { ...signedOut, contributor: refused(notAllowed('edit this post')), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author restores a revision of their own draft',
      args: async (w) => {
        const id = await insertPost(w.users.owner, 'draft');
        return [{ id, revisionId: await insertRevision(id, w.users.owner), baseVersion: 1 }];
      },
      check: async (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: { version: 2 } });
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'createPreviewLinkAction',
    path: (w) => editorPost(w.posts.ownerDraft),
    args: (w) => [{ id: w.posts.ownerDraft }],
    outcomes: { ...signedOut, contributor: refused(HIDDEN), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author makes a preview link for their own draft',
      args: async (w) => [{ id: await insertPost(w.users.owner, 'draft') }],
      check: (answer) => {
        ok(answer);
        expect((answer.result as { data: string }).data).toMatch(/^[A-Za-z0-9_-]{43}$/);
      },
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'revokePreviewLinkAction',
    path: (w) => editorPost(w.posts.ownerDraft),
    args: (w) => [{ id: w.posts.ownerDraft }],
    outcomes: { ...signedOut, contributor: refused(HIDDEN), author: refused(HIDDEN) },
    control: {
      as: 'owner',
      why: 'the author revokes their own preview link',
      args: async (w) => [{ id: await insertPost(w.users.owner, 'draft', { previewToken: randomBytes(32).toString('base64url') }) }],
      check: ok,
    },
  },
  {
    file: 'app/editor/posts/[id]/actions.ts',
    name: 'renderPreviewAction',
    path: (w) => editorPost(w.posts.ownerDraft),
    args: () => [{ markdown: '# Preview\n\nText.' }],
    outcomes: {
      ...signedOut,
      contributor: { allowed: 'any writer may render markdown; it reads and writes nothing', tables: [] },
      author: { allowed: 'any writer may render markdown; it reads and writes nothing', tables: [] },
    },
    control: {
      as: 'owner',
      why: 'a writer renders a preview',
      args: () => [{ markdown: '# Preview\n\nText.' }],
      check: (answer) => {
        ok(answer);
        expect((answer.result as { data: { html: string } }).data.html).toContain('Preview');
      },
    },
  },
  {
    file: 'app/editor/posts/new/actions.ts',
    name: 'createPostAction',
    path: () => '/editor/posts/new',
    args: () => [null, new Form({})],
    outcomes: {
      ...signedOut,
      contributor: { allowed: 'anyone signed in may start a post (their own)', tables: ['posts', 'post_counts', 'post_authors', 'audit_log'] },
      author: { allowed: 'anyone signed in may start a post (their own)', tables: ['posts', 'post_counts', 'post_authors', 'audit_log'] },
    },
    control: { none: 'the contributor and author columns are the control: both are allowed and redirected to their new draft' },
  },
  {
    file: 'app/editor/posts/new/actions.ts',
    name: 'createDraftAction',
    path: () => '/editor/posts/new',
    args: () => [{ kind: 'post' }],
    outcomes: {
      ...signedOut,
      contributor: {
        allowed: 'anyone signed in may start a post (their own), on their first keystroke',
        tables: ['posts', 'post_counts', 'post_authors', 'audit_log'],
      },
      author: { allowed: 'anyone signed in may start a post (their own), on their first keystroke', tables: ['posts', 'post_counts', 'post_authors', 'audit_log'] },
    },
    control: { none: 'the contributor and author columns are the control: both are allowed and get their new draft back' },
  },
];

const mediaCases: ActionCase[] = [
  {
    file: 'app/editor/media/actions.ts',
    name: 'updateMediaAltAction',
    path: () => '/editor/media',
    args: (w) => [{ id: w.media.owner, alt: 'Overwritten over HTTP' }],
    outcomes: {
      ...signedOut,
      contributor: refused('Only the uploader or an editor can change this image’s alt text.'),
      author: refused('Only the uploader or an editor can change this image’s alt text.'),
    },
    control: {
      as: 'owner',
      why: 'the uploader changes the alt text',
      args: (w) => [{ id: w.media.ownerSpare, alt: 'A better alt' }],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: { alt: 'A better alt' } });
      },
    },
  },
  {
    file: 'app/editor/media/actions.ts',
    name: 'deleteMediaAction',
    path: () => '/editor/media',
    args: (w) => [{ id: w.media.owner }],
    outcomes: {
      ...signedOut,
      contributor: refused('Only the uploader or an editor can delete this image.'),
      author: refused('Only the uploader or an editor can delete this image.'),
    },
    control: {
      as: 'owner',
      why: 'the uploader deletes an unused image',
      args: async (w) => [{ id: await insertMedia(w.users.owner) }],
      check: ok,
    },
  },
];

const settingsForm = (title: string) => new Form({ title, description: 'Hijacked.', defaultCta: '', timeZone: 'UTC', postsPerPage: '3' });

const adminCases: ActionCase[] = [
  {
    file: 'app/editor/settings/actions.ts',
    name: 'updateSiteSettingsAction',
    path: () => '/editor/settings',
    args: () => [null, settingsForm('Hijacked over HTTP')],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin saves the settings as they are (nothing a reader sees changes)',
      args: () => {
        const s = originalSettings;
        return [
          null,
          new Form({
            title: String(s?.title ?? process.env.SITE_TITLE ?? 'Broadsheet'),
            description: String(s?.description ?? process.env.SITE_DESCRIPTION ?? 'Stories, analysis and ideas.'),
            defaultCta: String(s?.default_cta ?? ''),
            timeZone: String(s?.time_zone ?? 'UTC'),
            postsPerPage: String(s?.posts_per_page ?? 10),
          }),
        ];
      },
      check: ok,
    },
  },
  {
    file: 'app/editor/tags/actions.ts',
    name: 'updateTagAction',
    path: () => '/editor/tags',
    args: (w) => [null, new Form({ id: w.tag, name: 'Hijacked', slug: 'hijacked-over-http', description: '' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin renames a tag',
      args: async () => {
        const id = await insertTag('spare');
        return [null, new Form({ id, name: 'Mutations HTTP renamed', slug: slug('renamed'), description: '' })];
      },
      check: ok,
    },
  },
  {
    file: 'app/editor/tags/actions.ts',
    name: 'deleteTagAction',
    path: () => '/editor/tags',
    args: (w) => [null, new Form({ id: w.tag })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin deletes a tag',
      args: async () => [null, new Form({ id: await insertTag('doomed') })],
      check: ok,
    },
  },
  {
    file: 'app/editor/users/actions.ts',
    name: 'changeRoleAction',
    path: () => '/editor/users',
    // Everyone tries to make themselves (anonymous: the target) an admin.
    args: (w, actor) => [null, new Form({ userId: actor === 'anonymous' ? w.users.target : w.users[actor], role: 'admin' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin changes someone’s role',
      args: (w) => [null, new Form({ userId: w.users.target, role: 'author' })],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: 'Now author.' });
      },
    },
  },
  {
    file: 'app/editor/users/actions.ts',
    name: 'setUserDisabledAction',
    path: () => '/editor/users',
    // The disabled account tries to enable itself, the contributor to enable it, the others to disable the owner.
    args: (w, actor) =>
      actor === 'disabled' || actor === 'contributor'
        ? [null, new Form({ userId: w.users.disabled, disabled: 'false' })]
        : [null, new Form({ userId: w.users.owner, disabled: 'true' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin disables someone',
      args: (w) => [null, new Form({ userId: w.users.target, disabled: 'true' })],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: 'Disabled.' });
      },
    },
  },
  {
    file: 'app/editor/users/actions.ts',
    name: 'inviteUserAction',
    path: () => '/editor/users',
    args: (w, actor) => [null, new Form({ name: 'Mutation Crony', email: `crony-${actor}.${w.run}${DOMAIN}`, role: 'admin' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin invites someone',
      args: (w) => [null, new Form({ name: 'Mutation Invited', email: `invited.${w.run}${DOMAIN}`, role: 'contributor' })],
      check: (answer, w) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: { email: `invited.${w.run}${DOMAIN}` } });
      },
    },
  },
];

/** The primary menu as stored, as the menu form posts it (the control saves it unchanged). */
async function currentMenuForm(): Promise<Form> {
  const { rows } = await db.query<{ label: string; url: string }>(`select label, url from navigation_items where menu = 'primary' order by position`);
  const form = new Form({ menu: 'primary', op: 'save' });
  // Form carries one value per name: this spec runs before any spec makes a menu (global-setup empties them).
  if (rows.length > 1) throw new Error('the primary menu has several items: the control could not post it unchanged');
  if (rows.length === 1) Object.assign(form.fields, { label: rows[0].label, url: rows[0].url });
  return form;
}

const redirectFrom = (w: World, what: string) => `/mutations-http-${w.run}-${what}`;

const siteCases: ActionCase[] = [
  {
    file: 'app/editor/navigation/actions.ts',
    name: 'saveNavigationAction',
    path: () => '/editor/navigation',
    args: () => [null, new Form({ menu: 'primary', label: 'Hijacked', url: 'https://evil.example/', op: 'save' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin saves the primary menu as it is (nothing a reader sees changes)',
      args: async () => [null, await currentMenuForm()],
      check: ok,
    },
  },
  {
    file: 'app/editor/redirects/actions.ts',
    name: 'saveRedirectAction',
    path: () => '/editor/redirects',
    args: (w) => [null, new Form({ from: redirectFrom(w, 'hijacked'), to: 'https://evil.example/', status: '301' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin adds a redirect',
      args: (w) => [null, new Form({ from: redirectFrom(w, 'added'), to: '/posts/elsewhere', status: '302' })],
      check: ok,
    },
  },
  {
    file: 'app/editor/redirects/actions.ts',
    name: 'deleteRedirectAction',
    path: () => '/editor/redirects',
    args: async (w) => {
      await db.query(`insert into redirects (from_path, to_path) values ($1, '/posts/kept') on conflict do nothing`, [redirectFrom(w, 'kept')]);
      return [null, new Form({ from: redirectFrom(w, 'kept') })];
    },
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin deletes a redirect',
      args: async (w) => {
        await db.query(`insert into redirects (from_path, to_path) values ($1, '/posts/doomed')`, [redirectFrom(w, 'doomed')]);
        return [null, new Form({ from: redirectFrom(w, 'doomed') })];
      },
      check: ok,
    },
  },
  {
    file: 'app/editor/redirects/actions.ts',
    name: 'importRedirectsAction',
    path: () => '/editor/redirects',
    args: (w) => [null, new Form({ file: `from,to\n${redirectFrom(w, 'imported-hijack')},https://evil.example/\n` })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin imports a CSV of redirects',
      args: (w) => [null, new Form({ file: `${redirectFrom(w, 'imported')},/posts/elsewhere,301\n` })],
      check: ok,
    },
  },
];

/** A webhook endpoint of this run (port 9: nothing listens), with one delivered delivery; made once per label. */
const endpoints = new Map<string, { id: string; deliveryId: string }>();
async function insertEndpoint(w: World, label: string, options: { disabled?: boolean } = {}): Promise<{ id: string; deliveryId: string }> {
  const key = `${w.run}-${label}`;
  if (!endpoints.has(key)) {
    const { rows } = await db.query<{ id: string }>(
      `insert into webhooks (url, events, secret, disabled_at) values ($1, '{post.published}', 'whsec_mutations-http', $2) returning id`,
      [`http://127.0.0.1:9/mutations-http-${key}`, options.disabled ? new Date() : null],
    );
    const { rows: deliveries } = await db.query<{ id: string }>(
      `insert into webhook_deliveries (webhook_id, event, event_key, payload, status, attempts) values ($1, 'post.published', 'mutations-http', '{}', 'delivered', 1) returning id`,
      [rows[0].id],
    );
    endpoints.set(key, { id: rows[0].id, deliveryId: deliveries[0].id });
  }
  return endpoints.get(key)!;
}
/** The control succeeded; its endpoint goes at once, so no delivery of it is sent while other cases compare tables. */
const okThenRemoveEndpoints = async (answer: ActionAnswer, w: World) => {
  ok(answer);
  await db.query(`delete from webhooks where url like $1`, [`%/mutations-http-${w.run}-control-%`]);
};

const webhookCases: ActionCase[] = [
  {
    file: 'app/editor/integrations/actions.ts',
    name: 'createWebhookAction',
    path: () => '/editor/integrations',
    args: (w) => [null, new Form({ url: `http://127.0.0.1:9/mutations-http-${w.run}-hijack`, events: 'post.*' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin adds an endpoint',
      args: (w) => [null, new Form({ url: `http://127.0.0.1:9/mutations-http-${w.run}-control-added`, events: 'member.subscribed' })],
      check: okThenRemoveEndpoints,
    },
  },
  {
    file: 'app/editor/integrations/actions.ts',
    name: 'setWebhookDisabledAction',
    path: () => '/editor/integrations',
    args: async (w) => [null, new Form({ id: (await insertEndpoint(w, 'kept')).id, disabled: 'true' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin disables an endpoint',
      args: async (w) => [null, new Form({ id: (await insertEndpoint(w, 'control-disabled')).id, disabled: 'true' })],
      check: okThenRemoveEndpoints,
    },
  },
  {
    file: 'app/editor/integrations/actions.ts',
    name: 'rotateWebhookSecretAction',
    path: () => '/editor/integrations',
    args: async (w) => [null, new Form({ id: (await insertEndpoint(w, 'kept')).id })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin gives an endpoint a new secret',
      args: async (w) => [null, new Form({ id: (await insertEndpoint(w, 'control-rotated')).id })],
      check: okThenRemoveEndpoints,
    },
  },
  {
    file: 'app/editor/integrations/actions.ts',
    name: 'deleteWebhookAction',
    path: () => '/editor/integrations',
    args: async (w) => [null, new Form({ id: (await insertEndpoint(w, 'kept')).id })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin deletes an endpoint',
      args: async (w) => [null, new Form({ id: (await insertEndpoint(w, 'control-deleted')).id })],
      check: okThenRemoveEndpoints,
    },
  },
  {
    file: 'app/editor/integrations/actions.ts',
    name: 'redeliverWebhookAction',
    path: () => '/editor/integrations',
    args: async (w) => [null, new Form({ deliveryId: (await insertEndpoint(w, 'kept')).deliveryId })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin redelivers a delivery',
      args: async (w) => [null, new Form({ deliveryId: (await insertEndpoint(w, 'control-redelivered')).deliveryId })],
      check: okThenRemoveEndpoints,
    },
  },
  {
    file: 'app/editor/integrations/actions.ts',
    name: 'createContentApiKeyAction',
    path: () => '/editor/integrations',
    args: (w) => [null, new Form({ name: `mutations-http-${w.run}-hijack` })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin makes a Content API key',
      args: (w) => [null, new Form({ name: `mutations-http-${w.run}-control-key` })],
      check: async (answer: ActionAnswer, w: World) => {
        ok(answer);
        await db.query(`delete from content_api_keys where name like $1`, [`mutations-http-${w.run}-%`]);
      },
    },
  },
  {
    file: 'app/editor/integrations/actions.ts',
    name: 'revokeContentApiKeyAction',
    path: () => '/editor/integrations',
    args: async (w) => [null, new Form({ id: await insertApiKey(w, 'kept') })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin revokes a Content API key',
      args: async (w) => [null, new Form({ id: await insertApiKey(w, 'control-revoked') })],
      check: async (answer: ActionAnswer, w: World) => {
        ok(answer);
        await db.query(`delete from content_api_keys where name like $1`, [`mutations-http-${w.run}-%`]);
      },
    },
  },
];

/** A live Content API key of this run (its hash of nothing anyone holds); made once per label. */
const apiKeys = new Map<string, string>();
async function insertApiKey(w: World, label: string): Promise<string> {
  const name = `mutations-http-${w.run}-${label}`;
  if (!apiKeys.has(name)) {
    const { rows } = await db.query<{ id: string }>(`insert into content_api_keys (name, token_hash, prefix) values ($1, $2, 'bsk_test') returning id`, [
      name,
      randomBytes(32).toString('hex'),
    ]);
    apiKeys.set(name, rows[0].id);
  }
  return apiKeys.get(name)!;
}

const BAD_INVITE = 'This invite link is not valid: it may have expired or been used already.';
const unknownToken = randomBytes(32).toString('base64url');

/** A member of this run (its address ends in DOMAIN, so the clean-up finds it). */
async function insertMember(w: World, label: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(`insert into members (email, status, source) values ($1, 'subscribed', 'admin') returning id`, [
    `${w.run}-${label}-${++counter}${DOMAIN}`,
  ]);
  return rows[0].id;
}

const memberCases: ActionCase[] = [
  {
    file: 'app/editor/members/actions.ts',
    name: 'addMemberAction',
    path: () => '/editor/members',
    args: (w) => [null, new Form({ email: `${w.run}-hijack${DOMAIN}`, name: 'Hijack', consent: 'on' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin adds a member who agreed',
      args: (w) => [null, new Form({ email: `${w.run}-added-${++counter}${DOMAIN}`, name: 'Added', consent: 'on' })],
      check: ok,
    },
  },
  {
    file: 'app/editor/members/actions.ts',
    name: 'deleteMemberAction',
    path: () => '/editor/members',
    args: async (w) => [null, new Form({ id: await insertMember(w, 'kept') })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin erases a member',
      args: async (w) => [null, new Form({ id: await insertMember(w, 'doomed') })],
      check: ok,
    },
  },
  {
    file: 'app/editor/members/actions.ts',
    name: 'importMembersAction',
    path: () => '/editor/members',
    args: (w) => [null, new Form({ file: `email,name,consent_at\n${w.run}-imported-hijack${DOMAIN},X,2026-01-01T00:00:00Z\n` })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin imports a CSV of members who agreed',
      args: (w) => [null, new Form({ file: `email,name,consent_at\n${w.run}-imported-${++counter}${DOMAIN},X,2026-01-01T00:00:00Z\n` })],
      check: ok,
    },
  },
];

const publicCases: ActionCase[] = [
  {
    file: 'app/(auth)/invite/[token]/actions.ts',
    name: 'acceptInviteAction',
    path: () => `/invite/${unknownToken}`,
    // Public by design (the token is the credential): with a token that is not a live invite, refused for everyone.
    args: () => [null, new Form({ token: unknownToken, password: 'taken over pass phrase', confirm: 'taken over pass phrase' })],
    outcomes: { anonymous: refused(BAD_INVITE), contributor: refused(BAD_INVITE), author: refused(BAD_INVITE), disabled: refused(BAD_INVITE) },
    control: {
      as: 'anonymous',
      why: 'the invited person sets a password with their live link',
      path: (w) => `/invite/${w.inviteToken}`,
      args: (w) => [null, new Form({ token: w.inviteToken, password: 'invitee pass phrase', confirm: 'invitee pass phrase' })],
      check: (answer) => {
        expect(answer.status).toBe(200);
        expect(answer.redirect).toMatch(/^\/login(;|$)/);
      },
    },
  },
  {
    file: 'app/(auth)/setup/actions.ts',
    name: 'setupAction',
    path: () => '/setup',
    args: (w, actor) => [null, new Form({ name: 'Mutation Usurper', email: `usurper-${actor}.${w.run}${DOMAIN}`, password: PASSWORD, confirm: PASSWORD })],
    outcomes: Object.fromEntries(actors.map((a) => [a, refused('This site is already set up. Sign in instead.')])) as Record<Actor, Outcome>,
    control: { none: 'it succeeds only while no account exists; editor-setup.spec.ts creates the first admin through it' },
  },
];

/** A signed-in device of `userId` that no cookie carries (something to sign out). */
async function insertSession(userId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(`insert into user_sessions (user_id, ip, user_agent) values ($1, '192.0.2.9', 'mutations-http') returning id`, [
    userId,
  ]);
  return rows[0].id;
}

/** A locked sign-in throttle for an account of this run from one address (something to clear). */
async function insertThrottle(w: World, label: string): Promise<string> {
  const key = `pair:${label}-${w.run}${DOMAIN}|203.0.113.9`;
  await db.query(
    `insert into login_throttle (key, failures, locked_until) values ($1, 6, now() + interval '1 hour') on conflict (key) do update set failures = 6, locked_until = excluded.locked_until`,
    [key],
  );
  return key;
}

const NO_SESSION = 'No such session: it may have ended already.';
const WRONG_PASSWORD = 'Your current password is not right.';
const BAD_RESET = 'This reset link is not valid: it may have expired or been used already.';
const FORGOT_ANSWER = 'If that address has an account here, a link to choose a new password is on its way. Check your inbox (and spam folder).';

// Sessions and passwords (issue 17): one's own only; "forgot password" answers everyone alike.
const accountCases: ActionCase[] = [
  {
    file: 'app/editor/users/actions.ts',
    name: 'endUserSessionsAction',
    path: () => '/editor/users',
    args: (w) => [null, new Form({ userId: w.users.owner })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin signs someone out everywhere',
      args: (w) => [null, new Form({ userId: w.users.target })],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: 'Signed out everywhere.' });
      },
    },
  },
  {
    file: 'app/editor/users/actions.ts',
    name: 'issuePasswordResetAction',
    path: () => '/editor/users',
    args: (w) => [null, new Form({ userId: w.users.owner })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin makes a reset link for someone (shown once)',
      args: (w) => [null, new Form({ userId: w.users.owner })],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: expect.stringMatching(/\/reset-password\/[A-Za-z0-9_-]{43}$/) });
      },
    },
  },
  {
    file: 'app/editor/account/actions.ts',
    name: 'endSessionAction',
    path: () => '/editor/account',
    // Everyone tries to sign one of the owner's devices out.
    args: async (w) => [null, new Form({ sessionId: await insertSession(w.users.owner) })],
    outcomes: { ...signedOut, contributor: refused(NO_SESSION), author: refused(NO_SESSION) },
    control: {
      as: 'owner',
      why: 'the owner signs one of their own other devices out',
      args: async (w) => [null, new Form({ sessionId: await insertSession(w.users.owner) })],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: 'Signed out.' });
      },
    },
  },
  {
    file: 'app/editor/account/actions.ts',
    name: 'endSessionsAction',
    path: () => '/editor/account',
    // "Everywhere else": the contributor and the author have no other session, so only the audit log changes.
    args: () => [null, new Form({ which: 'others' })],
    outcomes: {
      ...signedOut,
      contributor: { allowed: 'their own other sessions (none)', tables: ['audit_log'] },
      author: { allowed: 'their own other sessions (none)', tables: ['audit_log'] },
    },
    control: {
      as: 'admin',
      why: 'an admin signs their other device out',
      args: async (w) => {
        await insertSession(w.users.admin);
        return [null, new Form({ which: 'others' })];
      },
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: 'Signed out 1 other session.' });
      },
    },
  },
  {
    file: 'app/editor/account/actions.ts',
    name: 'changePasswordAction',
    path: () => '/editor/account',
    args: () => [null, new Form({ current: 'not the password at all', password: 'taken over pass phrase', confirm: 'taken over pass phrase' })],
    // The wrong current password is counted (lib/auth/password-change.ts): a stolen session cannot guess on.
    outcomes: { ...signedOut, contributor: refused(WRONG_PASSWORD, ['rate_limits']), author: refused(WRONG_PASSWORD, ['rate_limits']) },
    control: {
      as: 'owner',
      why: 'the owner changes their own password with the current one (this session goes on)',
      args: () => [null, new Form({ current: PASSWORD, password: 'owner new pass phrase', confirm: 'owner new pass phrase' })],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: expect.stringMatching(/^Password changed\./) });
      },
    },
  },
  {
    file: 'app/editor/security/actions.ts',
    name: 'clearThrottleAction',
    path: () => '/editor/security',
    // Everyone tries to lift a lock on someone's sign-in from one address.
    args: async (w) => [null, new Form({ key: await insertThrottle(w, 'kept') })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin clears a throttle',
      args: async (w) => [null, new Form({ key: await insertThrottle(w, 'control') })],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: 'Cleared.' });
      },
    },
  },
  {
    file: 'app/(auth)/forgot-password/actions.ts',
    name: 'requestPasswordResetAction',
    path: () => '/forgot-password',
    // Public by design, the same answer for every address; an address without an account gets no link.
    args: (w, actor) => [null, new Form({ email: `nobody-${actor}.${w.run}${DOMAIN}` })],
    // Only the client address's request counter moves (at most 20 an hour, lib/auth/password-reset.ts).
    outcomes: Object.fromEntries(actors.map((a): [Actor, Outcome] => [a, { allowed: 'the same answer for every address', tables: ['rate_limits'] }])) as Record<
      Actor,
      Outcome
    >,
    control: {
      as: 'anonymous',
      why: 'anyone gets the one answer (the mail to a real account: editor-account.spec.ts)',
      args: (w) => [null, new Form({ email: `nobody.${w.run}${DOMAIN}` })],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: FORGOT_ANSWER });
      },
    },
  },
  {
    file: 'app/(auth)/reset-password/[token]/actions.ts',
    name: 'resetPasswordAction',
    path: () => `/reset-password/${unknownToken}`,
    // Public by design (the token is the credential): with a token that is not a live reset link, refused for everyone.
    args: () => [null, new Form({ token: unknownToken, password: 'taken over pass phrase', confirm: 'taken over pass phrase' })],
    outcomes: Object.fromEntries(actors.map((a) => [a, refused(BAD_RESET)])) as Record<Actor, Outcome>,
    control: {
      as: 'anonymous',
      why: 'the person sets a new password with their live link',
      path: (w) => `/reset-password/${w.resetToken}`,
      args: (w) => [null, new Form({ token: w.resetToken, password: 'resettee pass phrase', confirm: 'resettee pass phrase' })],
      check: (answer) => {
        expect(answer.status).toBe(200);
        expect(answer.redirect).toMatch(/^\/login\?reset=1(;|$)/);
      },
    },
  },
];

const NOT_ON = 'Two-factor sign-in is not on.';

/** Starts the owner's set-up through the app and reads the secret off the page, as a person would; returns the code their app shows now. */
async function ownerSetUpCode(): Promise<string> {
  const start = built.find((a) => a.name === 'startTwoFactorAction')!;
  ok(await callAction(http.owner, baseURL, { path: '/editor/account', id: start.id, args: [null, new Form({})] }));
  const page = await (await http.owner.get('/editor/account')).text();
  const secret = /data-testid="two-factor-secret">([A-Z2-7]+)</.exec(page)?.[1];
  if (!secret) throw new Error('the account page shows no two-factor secret after starting the set-up');
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000), period: 30 });
}

/**
 * The owner's two-factor sign-in, set up through the app if it is not on, and their password the
 * spec's PASSWORD again (changePasswordAction's control changes it).
 */
async function ownerWithTwoFactor(): Promise<void> {
  await db.query(`update users set password_hash = $1 where id = $2`, [await hash(PASSWORD, { algorithm: 2 }), world.users.owner]);
  const { rows } = await db.query<{ on: boolean }>(`select totp_enabled_at is not null as on from users where id = $1`, [world.users.owner]);
  if (rows[0].on) return;
  const confirm = built.find((a) => a.name === 'confirmTwoFactorAction')!;
  ok(await callAction(http.owner, baseURL, { path: '/editor/account', id: confirm.id, args: [null, new Form({ code: await ownerSetUpCode() })] }));
}

/** Nothing pending or on for this actor (so the refusal does not depend on which case ran before). */
async function noTwoFactor(w: World, actor: Actor): Promise<void> {
  if (actor === 'anonymous') return;
  await db.query(`update users set totp_secret_enc = null, totp_enabled_at = null, totp_last_step = null where id = $1`, [w.users[actor]]);
}

// Two-factor sign-in (issue 17): one's own (signed-in people may set theirs up), the admins' reset and requirement.
const twoFactorCases: ActionCase[] = [
  {
    file: 'app/editor/account/actions.ts',
    name: 'startTwoFactorAction',
    path: () => '/editor/account',
    args: () => [null, new Form({})],
    // Anyone signed in may start setting up their own: a pending secret on their own row.
    outcomes: {
      ...signedOut,
      contributor: { allowed: 'their own set-up (pending)', tables: ['users', 'audit_log'] },
      author: { allowed: 'their own set-up (pending)', tables: ['users', 'audit_log'] },
    },
    control: { as: 'owner', why: 'the owner starts setting up two-factor sign-in', args: () => [null, new Form({})], check: ok },
  },
  {
    file: 'app/editor/account/actions.ts',
    name: 'confirmTwoFactorAction',
    path: () => '/editor/account',
    args: async (w, actor) => {
      await noTwoFactor(w, actor);
      return [null, new Form({ code: '000000' })];
    },
    outcomes: { ...signedOut, contributor: refused('Start setting up two-factor sign-in first.'), author: refused('Start setting up two-factor sign-in first.') },
    control: {
      as: 'owner',
      why: 'the owner confirms their set-up with a code from the secret the page shows',
      args: async (w) => {
        await db.query(`update users set totp_secret_enc = null, totp_enabled_at = null where id = $1`, [w.users.owner]);
        return [null, new Form({ code: await ownerSetUpCode() })];
      },
      check: async (answer) => {
        ok(answer);
        expect((answer.result as { data: { recoveryCodes: string[] } }).data.recoveryCodes).toHaveLength(10);
        const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from user_recovery_codes where user_id = $1`, [world.users.owner]);
        expect(rows[0].n).toBe(10);
      },
    },
  },
  {
    file: 'app/editor/account/actions.ts',
    name: 'regenerateRecoveryCodesAction',
    path: () => '/editor/account',
    args: async (w, actor) => {
      await noTwoFactor(w, actor);
      return [null, new Form({ password: PASSWORD, code: '' })];
    },
    outcomes: { ...signedOut, contributor: refused(NOT_ON), author: refused(NOT_ON) },
    control: {
      as: 'owner',
      why: 'the owner, with two-factor on, makes new recovery codes with their password',
      args: async () => {
        await ownerWithTwoFactor();
        return [null, new Form({ password: PASSWORD, code: '' })];
      },
      check: (answer) => {
        ok(answer);
        expect((answer.result as { data: { recoveryCodes: string[] } }).data.recoveryCodes).toHaveLength(10);
      },
    },
  },
  {
    file: 'app/editor/account/actions.ts',
    name: 'disableTwoFactorAction',
    path: () => '/editor/account',
    args: async (w, actor) => {
      await noTwoFactor(w, actor);
      return [null, new Form({ password: PASSWORD, code: '' })];
    },
    outcomes: { ...signedOut, contributor: refused(NOT_ON), author: refused(NOT_ON) },
    control: {
      as: 'owner',
      why: 'the owner turns their two-factor sign-in off with their password',
      args: async () => {
        await ownerWithTwoFactor();
        return [null, new Form({ password: PASSWORD, code: '' })];
      },
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: 'Two-factor sign-in is off.' });
      },
    },
  },
  {
    file: 'app/editor/settings/actions.ts',
    name: 'setRequireTwoFactorAction',
    path: () => '/editor/settings',
    args: () => [null, new Form({ requireTwoFactor: 'on' })],
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin saves "not required" (turning it on needs their own two-factor, which this admin has not)',
      args: () => [null, new Form({})],
      check: (answer) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: 'Nothing had changed.' });
      },
    },
  },
  {
    file: 'app/editor/users/actions.ts',
    name: 'resetUserTwoFactorAction',
    path: () => '/editor/users',
    args: async (w) => {
      await db.query(`update users set totp_secret_enc = 'v1.a.b.c', totp_enabled_at = now() where id = $1`, [w.users.target]);
      return [null, new Form({ userId: w.users.target })];
    },
    outcomes: { ...signedOut, contributor: refused(FORBIDDEN), author: refused(FORBIDDEN) },
    control: {
      as: 'admin',
      why: 'an admin removes someone’s two-factor sign-in (their sessions end)',
      args: async (w) => {
        await db.query(`update users set totp_secret_enc = 'v1.a.b.c', totp_enabled_at = now() where id = $1`, [w.users.target]);
        return [null, new Form({ userId: w.users.target })];
      },
      check: async (answer, w) => {
        ok(answer);
        expect(answer.result).toMatchObject({ data: expect.stringMatching(/^Two-factor sign-in removed for /) });
        const { rows } = await db.query(`select totp_enabled_at from users where id = $1`, [w.users.target]);
        expect(rows[0].totp_enabled_at).toBeNull();
      },
    },
  },
];

const actionCases: ActionCase[] = [
  ...postCases,
  ...mediaCases,
  ...adminCases,
  ...siteCases,
  ...webhookCases,
  ...memberCases,
  ...publicCases,
  ...accountCases,
  ...twoFactorCases,
];
const caseKey = (c: { file: string; name: string }) => `${c.file}#${c.name}`;

// -------------------------------------------------------------------------------------------------
// What was observed, printed at the end (the table in the issue).

const observed: { what: string; cells: Partial<Record<Actor | 'control', string>> }[] = [];
function note(what: string, who: Actor | 'control', cell: string) {
  let row = observed.find((r) => r.what === what);
  if (!row) observed.push((row = { what, cells: {} }));
  row.cells[who] = cell;
}
function printTable() {
  if (observed.length === 0) return;
  const columns = [...actors, 'control'] as const;
  const lines = [`| mutation | ${columns.join(' | ')} |`, `| --- | ${columns.map(() => '---').join(' | ')} |`];
  for (const row of observed) lines.push(`| ${row.what} | ${columns.map((c) => row.cells[c] ?? '').join(' | ')} |`);
  console.log(`\nmutations-http: what each caller got\n${lines.join('\n')}\n`);
}

/** One call with a snapshot of every table around it; returns the answer and what changed. */
async function around<T>(call: () => Promise<T>) {
  const before = await snapshot(db, tablesQuery);
  const answer = await call();
  const after = await snapshot(db, tablesQuery);
  return { answer, changed: changes(before, after) };
}

// -------------------------------------------------------------------------------------------------
// The guards: nothing that changes data goes without a case.

let built: BuiltAction[] = [];
test.beforeAll(() => {
  built = builtActions();
});

test('every server action in the build has a case here, and every case an action in the build', () => {
  const inBuild = [...new Set(built.map(caseKey))].sort();
  const inTable = actionCases.map(caseKey).sort();
  expect(
    inBuild.filter((key) => !inTable.includes(key)),
    'server actions without a case in mutations-http.spec.ts: add one (who is refused, who may)',
  ).toEqual([]);
  expect(
    inTable.filter((key) => !inBuild.includes(key)),
    'cases for actions that are not in the build any more',
  ).toEqual([]);
  expect(new Set(inTable).size, 'one case per action').toBe(inTable.length);
});

const routeCases = [
  'app/api/auth/[...nextauth]/route.ts#POST',
  'app/api/media/route.ts#POST',
  'app/api/import/route.ts#POST',
  'app/api/import/[id]/route.ts#POST',
  'app/api/subscribe/route.ts#POST',
  'app/(site)/unsubscribe/route.ts#POST',
];

test('every route handler that accepts POST, PUT, PATCH or DELETE has a case here', () => {
  const found = mutatingRouteHandlers();
  expect(
    found.filter((key) => !routeCases.includes(key)),
    'mutating route handlers without a case in mutations-http.spec.ts',
  ).toEqual([]);
  expect(
    routeCases.filter((key) => !found.includes(key)),
    'cases for route handlers that do not exist any more',
  ).toEqual([]);
});

// -------------------------------------------------------------------------------------------------
// Server actions

for (const c of actionCases) {
  test(`${c.name} (${c.file}) refuses anonymous, contributor, someone else's author and a disabled account`, async () => {
    const action = built.find((a) => caseKey(a) === caseKey(c));
    test.skip(!action, 'not in the build: the guard test above fails for it');
    const where = c.path(world);
    expect(
      action!.pages.some((page) => pagePattern(page).test(where)),
      `${where} is not a page that uses ${c.name} (${action!.pages.join(', ')})`,
    ).toBe(true);

    for (const actor of actors) {
      const args = await c.args(world, actor);
      const { answer, changed } = await around(() => callAction(http[actor], baseURL, { path: where, id: action!.id, args }));
      const outcome = c.outcomes[actor];
      const result = answer.result as { ok?: boolean; error?: string } | undefined;
      const context = `${c.name} as ${actor}: ${answer.status} ${answer.body.slice(0, 400)}`;
      expect.soft(answer.status, context).toBeLessThan(500);
      if ('refused' in outcome) {
        note(c.name, actor, `${answer.status} refused: “${result?.error ?? '?'}”`);
        expect.soft(answer.status, context).toBeGreaterThanOrEqual(400);
        expect.soft(answer.status, context).toBeLessThan(500);
        expect.soft(answer.contentType, context).toMatch(/^text\/x-component/);
        expect.soft(answer.redirect, context).toBeNull();
        expect.soft(result, context).toMatchObject({ ok: false, error: outcome.refused });
        const counted = changed.filter((t) => !outcome.counts?.includes(t.table));
        expect.soft(counted, `${context}\nchanged:\n${describeChanges(changed)}`).toEqual([]);
      } else {
        note(c.name, actor, `${answer.status} allowed${answer.redirect ? ` → ${answer.redirect.split(';')[0]}` : ''}`);
        expect.soft(answer.status, context).toBe(200);
        if (answer.redirect === null) expect.soft(result, context).toMatchObject({ ok: true });
        const unexpected = changed.filter((t) => !outcome.tables.includes(t.table));
        expect.soft(unexpected, `${context}\nchanged:\n${describeChanges(unexpected)}`).toEqual([]);
      }
    }

    if ('none' in c.control) {
      note(c.name, 'control', `— (${c.control.none})`);
      return;
    }
    const control = c.control;
    const args = await control.args(world);
    const answer = await callAction(http[control.as], baseURL, { path: (control.path ?? c.path)(world), id: action!.id, args });
    note(
      c.name,
      'control',
      `${control.as} (${control.why}): ${answer.status} ${answer.redirect ? `→ ${answer.redirect.split(';')[0]}` : (answer.result as { ok?: boolean })?.ok ? 'ok' : 'NOT ok'}`,
    );
    await control.check(answer, world, args);
  });
}

// -------------------------------------------------------------------------------------------------
// Route handlers

async function png(): Promise<Buffer> {
  const channel = () => Math.floor(Math.random() * 256);
  return sharp({ create: { width: 12, height: 8, channels: 3, background: { r: channel(), g: channel(), b: channel() } } })
    .png()
    .toBuffer();
}

test("POST /api/media (app/api/media/route.ts) refuses anonymous, contributor, someone else's author and a disabled account with 4xx", async () => {
  const upload = async (who: Caller, postId: string | null, origin = new URL(baseURL).origin) => {
    const multipart: Record<string, string | { name: string; mimeType: string; buffer: Buffer }> = {
      file: { name: 'mutation.png', mimeType: 'image/png', buffer: await png() },
      alt: 'uploaded over HTTP',
    };
    if (postId) multipart.postId = postId;
    return around(async () => {
      const response = await http[who].post('/api/media', { multipart, headers: { Origin: origin }, failOnStatusCode: false });
      return { status: response.status(), json: (await response.json().catch(() => null)) as { ok?: boolean; error?: string } | null };
    });
  };
  const expectations: Record<Actor, { postId: string | null; status: number; error: string }> = {
    anonymous: { postId: null, status: 401, error: SIGN_IN },
    contributor: { postId: world.posts.contribLive, status: 403, error: 'You are not allowed to add images to this post.' },
    author: { postId: world.posts.ownerDraft, status: 404, error: HIDDEN },
    disabled: { postId: null, status: 401, error: SIGN_IN },
  };
  for (const actor of actors) {
    const want = expectations[actor];
    const { answer, changed } = await upload(actor, want.postId);
    note('POST /api/media', actor, `${answer.status} “${answer.json?.error}”`);
    expect.soft(answer.status, `${actor}: ${JSON.stringify(answer.json)}`).toBe(want.status);
    expect.soft(answer.json, actor).toMatchObject({ ok: false, error: want.error });
    expect.soft(changed, `${actor} changed:\n${describeChanges(changed)}`).toEqual([]);
  }
  // Another site's page posting with the contributor's cookie.
  const crossSite = await upload('contributor', null, 'https://evil.example');
  expect.soft(crossSite.answer.status).toBe(403);
  expect.soft(crossSite.changed).toEqual([]);

  // Controls: a contributor may upload to the library, the owner for their own draft.
  const library = await upload('contributor', null);
  expect(library.answer.status, JSON.stringify(library.answer.json)).toBe(201);
  expect(library.changed.map((t) => t.table).sort()).toEqual(['audit_log', 'media', 'media_blobs']);
  const own = await upload('owner', world.posts.ownerDraft);
  expect(own.answer.status, JSON.stringify(own.answer.json)).toBe(201);
  note(
    'POST /api/media',
    'control',
    `contributor (library) ${library.answer.status}, owner (own draft) ${own.answer.status}; cross-site ${crossSite.answer.status}`,
  );
});

test('POST /api/import and /api/import/<id> (app/api/import/…) refuse everyone but an admin with 4xx; a staged export runs for its uploader only', async () => {
  const origin = new URL(baseURL).origin;
  const wxr =
    '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>x</title><wp:wxr_version>1.2</wp:wxr_version></channel></rss>';
  const post = (who: Caller, url: string, data: string, from = origin) =>
    around(async () => {
      const response = await http[who].post(url, { data, headers: { Origin: from, 'Content-Type': 'application/octet-stream' }, failOnStatusCode: false });
      return { status: response.status(), text: await response.text() };
    });
  const refusals: Record<Actor, [number, string]> = {
    anonymous: [401, SIGN_IN],
    contributor: [403, FORBIDDEN],
    author: [403, FORBIDDEN],
    disabled: [401, SIGN_IN],
  };
  for (const actor of actors) {
    const { answer, changed } = await post(actor, '/api/import?from=wordpress&name=x.xml', wxr);
    note('POST /api/import', actor, `${answer.status} ${answer.text.slice(0, 80)}`);
    expect.soft(answer.status, actor).toBe(refusals[actor][0]);
    expect.soft(JSON.parse(answer.text), actor).toMatchObject({ ok: false, error: refusals[actor][1] });
    expect.soft(changed, `${actor} changed:\n${describeChanges(changed)}`).toEqual([]);
  }
  expect.soft((await post('admin', '/api/import?from=wordpress&name=x.xml', wxr, 'https://evil.example')).answer.status).toBe(403);

  // Control: the admin's upload is staged; only the admin may run it, and a dry run changes nothing.
  const staged = await post('admin', '/api/import?from=wordpress&name=x.xml', wxr);
  expect(staged.answer.status, staged.answer.text).toBe(201);
  const { id } = JSON.parse(staged.answer.text) as { id: string };
  const body = JSON.stringify({ dryRun: false, media: false });
  for (const actor of actors) {
    const { answer, changed } = await post(actor, `/api/import/${id}`, body);
    note('POST /api/import/<id>', actor, `${answer.status} ${answer.text.slice(0, 80)}`);
    expect.soft(answer.status, actor).toBe(refusals[actor][0]);
    expect.soft(changed, `${actor} changed:\n${describeChanges(changed)}`).toEqual([]);
  }
  const dry = await post('admin', `/api/import/${id}`, JSON.stringify({ dryRun: true, media: false }));
  expect(dry.answer.status).toBe(200);
  expect(JSON.parse(dry.answer.text.trim().split('\n').at(-1)!)).toMatchObject({ report: { dryRun: true, source: 'wordpress' } });
  expect(dry.changed).toEqual([]);
  note('POST /api/import/<id>', 'control', `admin dry run ${dry.answer.status}, staged ${staged.answer.status}`);
});

test('POST /api/auth/callback/credentials (app/api/auth/[...nextauth]/route.ts) grants nothing to a disabled account or a wrong password', async () => {
  // The disabled account's old cookie is still a well-signed next-auth session: only the layer's
  // fresh read of the account refuses it (lib/auth/viewer.ts), which every case above relied on.
  const stale = (await (await http.disabled.get('/api/auth/session')).json()) as { user?: { id?: string } };
  expect(stale.user?.id).toBe(world.users.disabled);

  const { rows: throttle } = await db.query(`select * from login_throttle`);
  try {
    for (const [label, email, password] of [
      ['disabled account, right password', emailOf('disabled'), PASSWORD],
      ['contributor, wrong password', emailOf('contributor'), 'not the pass phrase'],
    ] as const) {
      const fresh = await playwrightRequest.newContext({ baseURL });
      try {
        const { answer, changed } = await around(async () => {
          const response = await signInWith(fresh, email, password);
          return { status: response.status(), body: await response.text() };
        });
        note('POST /api/auth/callback/credentials', label.startsWith('disabled') ? 'disabled' : 'contributor', `${answer.status} no session (${label})`);
        expect.soft(answer.status, answer.body).toBeGreaterThanOrEqual(400);
        expect.soft(answer.status, answer.body).toBeLessThan(500);
        expect.soft(await sessionCookie(fresh), label).toBeUndefined();
        expect.soft(await (await fresh.get('/api/auth/session')).json(), label).toEqual({});
        // A failure is counted (throttle) and audited; nothing else moves.
        expect
          .soft(
            changed.map((t) => t.table).filter((t) => t !== 'login_throttle' && t !== 'audit_log'),
            describeChanges(changed),
          )
          .toEqual([]);
        const audit = changed.find((t) => t.table === 'audit_log');
        expect.soft(audit?.added ?? [], label).toHaveLength(1);
        expect.soft(audit?.added[0] ?? '', label).toContain('signin.failure');
        expect.soft(audit?.removed ?? [], label).toEqual([]);
      } finally {
        await fresh.dispose();
      }
    }
  } finally {
    // Put the per-IP failure count back: the sign-in specs count their own failures from zero.
    await db.query(`delete from login_throttle`);
    for (const row of throttle) {
      await db.query(`insert into login_throttle (key, failures, last_failure_at, locked_until) values ($1, $2, $3, $4)`, [
        row.key,
        row.failures,
        row.last_failure_at,
        row.locked_until,
      ]);
    }
  }
});

test("POST /api/subscribe and /unsubscribe (readers' routes, no sign-in) refuse another site's form and a forged link, changing nothing", async () => {
  const origin = new URL(baseURL).origin;
  const { rows: limits } = await db.query(`select * from rate_limits`);
  try {
    const subscribe = (from: string, email: string) =>
      around(async () => {
        const response = await http.anonymous.post('/api/subscribe', {
          data: new URLSearchParams({ email, name: '', website: '' }).toString(),
          headers: { Origin: from, 'Content-Type': 'application/x-www-form-urlencoded' },
          maxRedirects: 0,
          failOnStatusCode: false,
        });
        return { status: response.status(), location: response.headers().location ?? '' };
      });
    const crossSite = await subscribe('https://evil.example', `${world.run}-cross-site${DOMAIN}`);
    note('POST /api/subscribe', 'anonymous', `${crossSite.answer.status} from another site`);
    expect.soft(crossSite.answer.status).toBe(403);
    expect.soft(crossSite.changed, describeChanges(crossSite.changed)).toEqual([]);

    const forged = await around(async () => {
      const response = await http.anonymous.post(`/unsubscribe?m=${world.users.owner}&s=AAAA`, {
        data: 'List-Unsubscribe=One-Click',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        failOnStatusCode: false,
      });
      return { status: response.status() };
    });
    note('POST /unsubscribe', 'anonymous', `${forged.answer.status} with a forged signature`);
    expect.soft(forged.answer.status).toBe(400);
    expect.soft(forged.changed, describeChanges(forged.changed)).toEqual([]);

    // Control: the site's own form makes a pending member (and counts the address's sign-ups).
    const own = await subscribe(origin, `${world.run}-own-form${DOMAIN}`);
    expect(own.answer, JSON.stringify(own.answer)).toEqual({ status: 303, location: expect.stringContaining('/subscribe/sent') });
    expect(own.changed.map((t) => t.table).sort()).toEqual(['members', 'rate_limits']);
    note('POST /api/subscribe', 'control', `same-origin ${own.answer.status} → ${own.answer.location}`);
  } finally {
    // The sign-up counters as they were: the members spec counts its own from there.
    await db.query(`delete from rate_limits`);
    for (const row of limits)
      await db.query(`insert into rate_limits (key, hits, window_started_at) values ($1, $2, $3)`, [row.key, row.hits, row.window_started_at]);
  }
});
