import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { posts, postRevisions, slugRedirects, type PostKind, type PostStatus } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { resolveEmbeds } from '@/lib/embeds/mutations';
import { findEmbedUrls } from '@/lib/embeds/providers';
import { knownEmbeds } from '@/lib/embeds/queries';
import { MarkdownTooLargeError, type EmbedMap } from '@/lib/markdown';
import { emailChoice } from '@/lib/newsletters/mutations';
import { MAX_SLUG_LENGTH, slugify } from '@/lib/slug';
import { setPostTags, type Tx } from '@/lib/tags/mutations';
import { loadEditorPost, permissions, toEditorPost, type EditorPost } from './editor-queries';
import { recordPostChange } from './live';
import { canCreatePost, type PostAction } from './policy';
import { pagesShowing, publicationColumns, writeByline } from './publication';
import { renderedColumns } from './render';
import { isReservedPageSlug, reservedSlugMessage } from './reserved-slugs';
import { isPublicAt } from './visibility';
import { isTooLongForSearchIndex, SEARCH_INDEX_REFUSAL, type PostFields } from './schemas';

/** Autosaves keep at most one revision per this many minutes (the newest of them); explicit saves and publishes always keep one. */
export const AUTOSAVE_REVISION_MINUTES = 10;

/** What changed for readers, so the caller can refresh exactly those cached pages. */
export type Change = { post: EditorPost; publicPaths: string[] };

type Loaded = NonNullable<Awaited<ReturnType<typeof loadEditorPost>>>;

/**
 * The public pages a change touches; none when it was not public before and is not after. A post
 * is in the lists, feeds and sitemap; a page only at /<slug> and in the sitemap.
 */
function publicPathsFor(kind: PostKind, visible: boolean, ...slugs: (string | null | undefined)[]): string[] {
  if (!visible) return [];
  const paths = new Set(kind === 'page' ? ['/sitemap.xml'] : ['/', '/feed.xml', '/atom.xml', '/feed.json', '/sitemap.xml']);
  for (const slug of slugs) if (slug) paths.add(kind === 'page' ? `/${slug}` : `/posts/${slug}`);
  return [...paths];
}

/** Audit entries name the kind: `post.publish` / `page.publish`, target type 'post' / 'page'. */
function audited(kind: PostKind, verb: string) {
  return { action: `${kind}.${verb}`, targetType: kind };
}

async function lockPost(tx: Tx, id: string, viewer: Viewer, action: PostAction): Promise<Loaded> {
  // Row lock first, so two saves of one post are serialised and the version check is exact.
  await tx.execute(sql`select 1 from ${posts} where ${posts.id} = ${id} for update`);
  const post = await loadEditorPost(id, tx);
  const can = post ? permissions(viewer, { ...post, firstPublishedAt: post.firstPublishedAtDate }) : null;
  if (!post || !can?.view) throw new NotFoundError('This post does not exist, or you cannot see it.');
  if (!can[action]) throw new ForbiddenError(refusal(action, post.kind));
  return post;
}

function refusal(action: PostAction, kind: PostKind): string {
  const what: Record<PostAction, string> = {
    view: 'see this post',
    preview: 'preview this post',
    edit: 'edit this post',
    submit: 'submit this post for review',
    publish: 'publish this post',
    schedule: 'schedule this post',
    unpublish: 'unpublish this post',
    trash: 'move this post to the trash',
    restore: 'restore this post',
    delete: 'delete this post',
  };
  return `You are not allowed to ${what[action].replace('this post', `this ${kind}`)}.`;
}

/** One slug change at a time, site-wide: choosing a free slug and taking it must not race. */
async function lockSlugs(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SLUG_LOCK})`);
}
const SLUG_LOCK = 720_452;

/**
 * A slug no other post or page uses, now or as an old URL that redirects: "title", then
 * "title-2"… The base is shortened so the suffix still fits the length limit. A page also avoids
 * the site's own top-level routes ("search" → "search-2").
 */
async function uniqueSlug(tx: Tx, base: string, postId: string | null, kind: PostKind): Promise<string> {
  await lockSlugs(tx);
  const prefix = base.slice(0, MAX_SLUG_LENGTH - 6).replace(/-+$/, '');
  const like = `${prefix}-%`;
  const taken = await tx.execute<{ slug: string }>(sql`
    select ${posts.slug} as slug from ${posts}
     where (${posts.slug} = ${base} or ${posts.slug} like ${like}) ${postId ? sql`and ${posts.id} <> ${postId}` : sql``}
    union
    select ${slugRedirects.slug} from ${slugRedirects}
     where (${slugRedirects.slug} = ${base} or ${slugRedirects.slug} like ${like}) ${postId ? sql`and ${slugRedirects.postId} <> ${postId}` : sql``}`);
  const used = new Set(taken.rows.map((row) => row.slug));
  const free = (slug: string) => !used.has(slug) && !(kind === 'page' && isReservedPageSlug(slug));
  if (free(base)) return base;
  for (let n = 2; ; n += 1) if (free(`${prefix}-${n}`)) return `${prefix}-${n}`;
}

/**
 * The slug to store: a hand-typed one must be free; an empty one follows the title until the post
 * has first been published, after which the URL stays put unless someone changes it by hand.
 */
async function resolveSlug(tx: Tx, post: Loaded, fields: PostFields): Promise<string> {
  if (fields.slug && fields.slug !== post.slug) {
    if (post.kind === 'page' && isReservedPageSlug(fields.slug)) throw new ValidationError(reservedSlugMessage(fields.slug), 'slug');
    await lockSlugs(tx);
    const [clash] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.slug, fields.slug), ne(posts.id, post.id)))
      .limit(1);
    if (clash) throw new ValidationError(`The slug "${fields.slug}" is already used by another post.`, 'slug');
    // Another post's old URL still redirects to it: taking it over would break links to that post.
    const [redirect] = await tx
      .select({ postId: slugRedirects.postId })
      .from(slugRedirects)
      .where(and(eq(slugRedirects.slug, fields.slug), ne(slugRedirects.postId, post.id)))
      .limit(1);
    if (redirect) {
      throw new ValidationError(`The slug "${fields.slug}" is an old address of another post and still leads to it; choose another.`, 'slug');
    }
    return fields.slug;
  }
  if (fields.slug) return post.slug;
  if (post.firstPublishedAtDate) return post.slug;
  const base = slugify(fields.title, 'untitled');
  // Most autosaves do not change the title: no lock, no lookup.
  if (post.slug === base) return post.slug;
  return uniqueSlug(tx, base, post.id, post.kind);
}

/**
 * The body's embeds (lib/embeds): resolved from their providers only for someone who may write this
 * post (the transaction checks again); otherwise, and for a post without embeds, the cache alone.
 */
async function embedsFor(viewer: Viewer, input: { id: string; fields: PostFields }, action: PostAction, explicit: boolean) {
  if (findEmbedUrls(input.fields.markdown).length === 0) return undefined;
  const post = await loadEditorPost(input.id);
  const can = post ? permissions(viewer, { ...post, firstPublishedAt: post.firstPublishedAtDate }) : null;
  if (!can?.[action] || !can.edit) return knownEmbeds(input.fields.markdown);
  return resolveEmbeds(input.fields.markdown, { explicit });
}

async function render(markdown: string, embeds?: EmbedMap) {
  try {
    return await renderedColumns(markdown, embeds);
  } catch (error) {
    if (error instanceof MarkdownTooLargeError) throw new ValidationError(error.message, 'markdown');
    throw error;
  }
}

type Transition = { status: PostStatus; publishAt: Date | null; firstPublishedAt: Date | null };

/**
 * Writes the form's fields as a new version, refusing a save that started from an older version
 * (optimistic locking: nothing is overwritten silently). Optionally changes status in the same
 * transaction, so "publish" publishes exactly what is on screen.
 */
async function writePost(
  viewer: Viewer,
  input: { id: string; baseVersion: number; fields: PostFields },
  action: PostAction,
  options: {
    revision: 'save' | 'autosave' | 'publish' | 'restore' | null;
    transition?: (post: Loaded) => Transition;
    /** The verb (`publish`): recorded as `post.publish` or `page.publish`. */
    audit?: { action: string; detail?: Record<string, unknown> };
  },
): Promise<Change> {
  const rendered = await render(input.fields.markdown, await embedsFor(viewer, input, action, options.revision !== 'autosave'));
  const writing = getDb().transaction(async (tx) => {
    const post = await lockPost(tx, input.id, viewer, action);
    // Writing fields is editing, whatever the transition: check that too (a contributor may not
    // change a post once it is out of draft/review, even while submitting).
    if (action !== 'edit' && !permissions(viewer, { ...post, firstPublishedAt: post.firstPublishedAtDate }).edit) {
      throw new ForbiddenError(refusal('edit', post.kind));
    }
    if (post.version !== input.baseVersion) {
      throw new ConflictError('Someone saved a newer version of this post while you were editing.', toEditorPost(viewer, post));
    }
    // A page has no tags, call to action, reading time, byline, series or place on the home page.
    const fields =
      post.kind === 'page'
        ? { ...input.fields, tags: [], cta: '', readTimeOverride: null, featured: undefined, authors: undefined, series: undefined }
        : input.fields;
    const slug = await resolveSlug(tx, post, fields);
    const sendEmail = await emailChoice(tx, viewer, post, fields.sendEmail);
    const publication = await publicationColumns(tx, viewer, post, fields);
    // Other articles that show this one (its series, related posts), before the change moves it.
    const showingBefore = isPublicAt(post) ? await pagesShowing(tx, post.id) : [];
    const next = options.transition?.(post);
    if (next && (next.status === 'published' || next.status === 'scheduled') && !fields.title) {
      throw new ValidationError(`A ${post.kind} needs a title before it can be published.`, 'title');
    }
    await tx
      .update(posts)
      .set({
        title: fields.title,
        subtitle: fields.subtitle,
        description: fields.description,
        slug,
        heroImage: fields.heroImage || null,
        heroImageAlt: fields.heroImageAlt,
        cta: fields.cta,
        readTimeOverride: fields.readTimeOverride,
        markdown: fields.markdown,
        ...(sendEmail === undefined ? {} : { sendEmail }),
        ...publication,
        ...rendered,
        firstPublishedAt: post.firstPublishedAtDate,
        ...(next ?? {}),
        version: sql`${posts.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(eq(posts.id, post.id));
    await setPostTags(tx, post.id, fields.tags);
    await writeByline(tx, post.id, fields.authors);
    if (slug !== post.slug) {
      // The new slug may have been this post's own old one (renamed back): it is an address again.
      await tx.delete(slugRedirects).where(and(eq(slugRedirects.slug, slug), eq(slugRedirects.postId, post.id)));
      if (post.firstPublishedAtDate) {
        await tx
          .insert(slugRedirects)
          .values({ slug: post.slug, postId: post.id })
          .onConflictDoUpdate({
            target: slugRedirects.slug,
            set: { postId: post.id },
          });
      }
    }
    const keep = await keepRevision(tx, post.id, options.revision);
    if (keep) {
      const revision = {
        version: post.version + 1,
        actorId: viewer.id,
        title: fields.title,
        markdown: fields.markdown,
        fields: { ...fields, markdown: undefined, slug },
      };
      if (keep === true) await tx.insert(postRevisions).values({ ...revision, postId: post.id, kind: options.revision! });
      // The window's autosave revision holds its newest autosave, so the last text autosaved is
      // always in the history, even when a later write (a conflict's "Keep mine") replaces it.
      else await tx.update(postRevisions).set(revision).where(eq(postRevisions.id, keep.replace));
    }
    if (options.audit) {
      const { action: verb, detail } = options.audit;
      await recordAudit({ actorId: viewer.id, ...audited(post.kind, verb), targetId: post.id, detail: { slug, ...detail } }, tx);
    }
    const saved = (await loadEditorPost(post.id, tx))!;
    await recordPostChange(tx, post, saved);
    const visible = isPublicAt(post) || isPublicAt(saved) || saved.status === 'scheduled';
    const showing = isPublicAt(saved) || saved.status === 'scheduled' ? [...showingBefore, ...(await pagesShowing(tx, post.id))] : showingBefore;
    return { post: toEditorPost(viewer, saved), publicPaths: publicPathsFor(post.kind, visible, post.slug, slug, ...showing) };
  });
  return writing.catch((error: unknown) => {
    if (isTooLongForSearchIndex(error)) throw new ValidationError(SEARCH_INDEX_REFUSAL, 'markdown');
    throw error;
  });
}

/**
 * Whether this write keeps a revision: false, true (a new one), or the autosave revision of the
 * current window to replace (its time stays the window's start, so a long session keeps one per window).
 */
async function keepRevision(tx: Tx, postId: string, kind: 'save' | 'autosave' | 'publish' | 'restore' | null): Promise<boolean | { replace: string }> {
  if (kind === null) return false;
  if (kind !== 'autosave') return true;
  const [recent] = await tx
    .select({ id: postRevisions.id })
    .from(postRevisions)
    .where(
      and(
        eq(postRevisions.postId, postId),
        eq(postRevisions.kind, 'autosave'),
        sql`${postRevisions.createdAt} > now() - make_interval(mins => ${AUTOSAVE_REVISION_MINUTES})`,
      ),
    )
    .orderBy(desc(postRevisions.createdAt))
    .limit(1);
  return recent ? { replace: recent.id } : true;
}

/** An empty draft of the given kind, the viewer's own; the kind of a row never changes afterwards. */
export async function createPost(kind: PostKind = 'post'): Promise<EditorPost> {
  const viewer = await requireViewer();
  if (!canCreatePost(viewer.role, kind)) throw new ForbiddenError(`You are not allowed to write ${kind}s.`);
  return getDb().transaction(async (tx) => {
    const slug = await uniqueSlug(tx, `untitled-${randomBytes(3).toString('hex')}`, null, kind);
    const [row] = await tx.insert(posts).values({ slug, kind, title: '', authorId: viewer.id, status: 'draft' }).returning({ id: posts.id });
    await recordAudit({ actorId: viewer.id, ...audited(kind, 'create'), targetId: row.id }, tx);
    return toEditorPost(viewer, (await loadEditorPost(row.id, tx))!);
  });
}

type SaveInput = { id: string; baseVersion: number; fields: PostFields };

export async function savePost(input: SaveInput & { autosave: boolean }): Promise<Change> {
  const viewer = await requireViewer();
  return writePost(viewer, input, 'edit', { revision: input.autosave ? 'autosave' : 'save' });
}

export async function submitPost(input: SaveInput): Promise<Change> {
  const viewer = await requireViewer();
  return writePost(viewer, input, 'submit', {
    revision: 'save',
    transition: (post) => ({ status: 'review', publishAt: null, firstPublishedAt: post.firstPublishedAtDate }),
    audit: { action: 'submit' },
  });
}

export async function publishPost(input: SaveInput): Promise<Change> {
  const viewer = await requireViewer();
  return writePost(viewer, input, 'publish', {
    revision: 'publish',
    transition: (post) => {
      // Re-saving a live post keeps its date; publishing a draft or a pending schedule is "now".
      const live = post.displayStatus === 'published' && post.publishAt;
      const publishAt = live ? post.publishAt! : new Date();
      return { status: 'published', publishAt, firstPublishedAt: post.firstPublishedAtDate ?? publishAt };
    },
    audit: { action: 'publish' },
  });
}

export async function schedulePost(input: SaveInput & { publishAt: Date }): Promise<Change> {
  const viewer = await requireViewer();
  if (!(input.publishAt.getTime() > Date.now())) {
    throw new ValidationError('Pick a time in the future to schedule, or publish now.', 'publishAt');
  }
  return writePost(viewer, input, 'schedule', {
    revision: 'publish',
    transition: (post) => ({ status: 'scheduled', publishAt: input.publishAt, firstPublishedAt: post.firstPublishedAtDate }),
    audit: { action: 'schedule', detail: { publishAt: input.publishAt.toISOString() } },
  });
}

/** Status-only changes: no fields are written, so no version check is needed to stay safe. `verb` is audited with the kind. */
async function transition(id: string, action: PostAction, to: (post: Loaded) => Partial<Transition>, verb: string): Promise<Change> {
  const viewer = await requireViewer();
  return getDb().transaction(async (tx) => {
    const post = await lockPost(tx, id, viewer, action);
    const showingBefore = isPublicAt(post) ? await pagesShowing(tx, id) : [];
    await tx
      .update(posts)
      .set({ firstPublishedAt: post.firstPublishedAtDate, ...to(post), version: sql`${posts.version} + 1`, updatedAt: sql`now()` })
      .where(eq(posts.id, id));
    await recordAudit({ actorId: viewer.id, ...audited(post.kind, verb), targetId: id, detail: { slug: post.slug } }, tx);
    const saved = (await loadEditorPost(id, tx))!;
    await recordPostChange(tx, post, saved);
    const visible = isPublicAt(post) || isPublicAt(saved) || saved.status === 'scheduled';
    const showing = isPublicAt(saved) || saved.status === 'scheduled' ? [...showingBefore, ...(await pagesShowing(tx, id))] : showingBefore;
    return { post: toEditorPost(viewer, saved), publicPaths: publicPathsFor(post.kind, visible, post.slug, ...showing) };
  });
}

export const unpublishPost = (id: string) => transition(id, 'unpublish', () => ({ status: 'draft', publishAt: null }), 'unpublish');
export const trashPost = (id: string) => transition(id, 'trash', () => ({ status: 'trash' }), 'trash');
export const restorePost = (id: string) => transition(id, 'restore', () => ({ status: 'draft', publishAt: null }), 'restore');

/** Deletes a trashed post for ever, with its revisions, tags and redirects. */
export async function deletePost(id: string): Promise<{ publicPaths: string[] }> {
  const viewer = await requireViewer();
  return getDb().transaction(async (tx) => {
    const post = await lockPost(tx, id, viewer, 'delete');
    // A deleted post was in the trash, in no series list or related posts any reader sees.
    await tx.delete(posts).where(eq(posts.id, id));
    await recordPostChange(tx, post, null);
    await recordAudit({ actorId: viewer.id, ...audited(post.kind, 'delete'), targetId: id, detail: { slug: post.slug, title: post.title } }, tx);
    return { publicPaths: publicPathsFor(post.kind, isPublicAt(post), post.slug) };
  });
}

/** Restores a revision's text as a new version (which itself keeps a revision). */
export async function restoreRevision(input: { id: string; revisionId: string; baseVersion: number }): Promise<Change> {
  const viewer = await requireViewer();
  const [revision] = await getDb()
    .select({ title: postRevisions.title, markdown: postRevisions.markdown, fields: postRevisions.fields })
    .from(postRevisions)
    .where(and(eq(postRevisions.id, input.revisionId), eq(postRevisions.postId, input.id)))
    .limit(1);
  if (!revision) throw new NotFoundError('No such revision.');
  const current = await loadEditorPost(input.id);
  if (!current) throw new NotFoundError();
  const saved = revision.fields as Partial<PostFields>;
  const fields: PostFields = {
    ...toEditorPost(viewer, current).fields,
    // The text and its metadata come back; the address, the email choice, featuring and the byline stay as they are now.
    ...Object.fromEntries(Object.entries(saved).filter(([key]) => !['slug', 'markdown', 'sendEmail', 'featured', 'authors'].includes(key))),
    title: revision.title,
    markdown: revision.markdown,
    slug: current.slug,
  };
  return writePost(viewer, { id: input.id, baseVersion: input.baseVersion, fields }, 'edit', { revision: 'restore' });
}

/** A fresh unguessable preview link (256 bits), replacing any earlier one. */
export async function createPreviewLink(id: string): Promise<string> {
  const viewer = await requireViewer();
  return getDb().transaction(async (tx) => {
    const post = await lockPost(tx, id, viewer, 'preview');
    const token = randomBytes(32).toString('base64url');
    await tx.update(posts).set({ previewToken: token }).where(eq(posts.id, id));
    await recordAudit({ actorId: viewer.id, action: 'preview.create', targetType: post.kind, targetId: id }, tx);
    return token;
  });
}

export async function revokePreviewLink(id: string): Promise<void> {
  const viewer = await requireViewer();
  await getDb().transaction(async (tx) => {
    const post = await lockPost(tx, id, viewer, 'preview');
    await tx.update(posts).set({ previewToken: null }).where(eq(posts.id, id));
    await recordAudit({ actorId: viewer.id, action: 'preview.revoke', targetType: post.kind, targetId: id }, tx);
  });
}
