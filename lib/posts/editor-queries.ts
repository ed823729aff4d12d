import 'server-only';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { postAuthors, postCounts, posts, postRevisions, series, users, type PostKind, type PostStatus } from '@/db/schema';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { ForbiddenError, NotFoundError } from '@/lib/auth/errors';
import { decodeCursor, encodeCursor } from './cursor';
import { canOnPost, canSeeAllPosts, canWorkOn, postActions, type PostAction } from './policy';
import type { PostFields } from './schemas';
import { tagNamesOfPost } from '@/lib/tags/sql';

/** How the editor shows a status: a scheduled post whose time has come is simply published. */
export type DisplayStatus = 'draft' | 'review' | 'scheduled' | 'published' | 'trash';

export const displayStatusSql = sql<DisplayStatus>`case
  when ${posts.status} = 'scheduled' and ${posts.publishAt} <= now() then 'published'
  else ${posts.status}::text end`;

export type EditorPost = {
  id: string;
  /** 'post' or 'page'; fixed when the row is created. */
  kind: PostKind;
  version: number;
  status: PostStatus;
  displayStatus: DisplayStatus;
  slug: string;
  publishAt: string | null;
  firstPublishedAt: string | null;
  updatedAt: string;
  author: { id: string; name: string };
  fields: PostFields;
  previewToken: string | null;
  can: Record<PostAction, boolean>;
};

export function permissions(viewer: Viewer, post: { kind: PostKind; authorId: string; status: PostStatus; firstPublishedAt: Date | null }) {
  const context = { kind: post.kind, status: post.status, isOwn: post.authorId === viewer.id, everPublished: post.firstPublishedAt !== null };
  return Object.fromEntries(postActions.map((action) => [action, canOnPost(viewer.role, action, context)])) as Record<PostAction, boolean>;
}

/** A post for the editor form, if the viewer may see it (else NotFound: existence is not revealed). */
export async function getEditorPost(id: string): Promise<EditorPost> {
  const { viewer, post } = await requireVisiblePost(id);
  return toEditorPost(viewer, post);
}

export async function loadEditorPost(id: string, db: Pick<ReturnType<typeof getDb>, 'select'> = getDb()) {
  const [row] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      version: posts.version,
      status: posts.status,
      displayStatus: displayStatusSql,
      slug: posts.slug,
      publishAt: posts.publishAt,
      // A scheduled post whose time has come has been published, even before anything rewrites the row.
      firstPublishedAtDate: sql<Date | null>`coalesce(${posts.firstPublishedAt}, case
        when ${posts.status} in ('published', 'scheduled') and ${posts.publishAt} <= now() then ${posts.publishAt} end)`.mapWith(posts.firstPublishedAt),
      updatedAt: posts.updatedAt,
      authorId: posts.authorId,
      authorName: users.name,
      title: posts.title,
      subtitle: posts.subtitle,
      description: posts.description,
      heroImage: posts.heroImage,
      heroImageAlt: posts.heroImageAlt,
      cta: posts.cta,
      readTimeOverride: posts.readTimeOverride,
      markdown: posts.markdown,
      sendEmail: posts.sendEmail,
      featured: posts.featured,
      seriesName: sql<string>`coalesce((select ${series.name} from ${series} where ${series.id} = ${posts.seriesId}), '')`,
      authors: sql<string[]>`coalesce((
        select array_agg(${postAuthors.userId}::text order by ${postAuthors.position}) from ${postAuthors}
         where ${postAuthors.postId} = ${posts.id}), '{}')`,
      previewToken: posts.previewToken,
      tags: tagNamesOfPost(),
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(eq(posts.id, id))
    .limit(1);
  return row ?? null;
}

type LoadedPost = NonNullable<Awaited<ReturnType<typeof loadEditorPost>>>;

export function toEditorPost(viewer: Viewer, row: LoadedPost): EditorPost {
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    status: row.status,
    displayStatus: row.displayStatus,
    slug: row.slug,
    publishAt: row.publishAt?.toISOString() ?? null,
    firstPublishedAt: row.firstPublishedAtDate?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    author: { id: row.authorId, name: row.authorName },
    fields: {
      title: row.title,
      subtitle: row.subtitle,
      description: row.description,
      slug: row.slug,
      heroImage: row.heroImage ?? '',
      heroImageAlt: row.heroImageAlt,
      cta: row.cta,
      tags: row.tags,
      readTimeOverride: row.readTimeOverride,
      markdown: row.markdown,
      sendEmail: row.sendEmail,
      // Pages have no byline, series or place on the home page.
      ...(row.kind === 'post' ? { featured: row.featured, authors: row.authors.length ? row.authors : [row.authorId], series: row.seriesName } : {}),
    },
    previewToken: permissions(viewer, { ...row, firstPublishedAt: row.firstPublishedAtDate }).preview ? row.previewToken : null,
    can: permissions(viewer, { ...row, firstPublishedAt: row.firstPublishedAtDate }),
  };
}

export type EditorListItem = {
  id: string;
  title: string;
  slug: string;
  displayStatus: DisplayStatus;
  authorName: string;
  updatedAt: Date;
  publishAt: Date | null;
};

export type EditorList = {
  items: EditorListItem[];
  nextCursor: string | null;
  counts: Record<DisplayStatus | 'all', number>;
};

const EDITOR_PAGE = 25;
// Spelled as the indexes are built (drizzle writes DESC NULLS LAST), so PostgreSQL walks the index.
const lastChangedFirst = [sql`${posts.updatedAt} desc nulls last`, sql`${posts.id} desc nulls last`];

function statusFilter(status: DisplayStatus | 'all'): SQL | undefined {
  switch (status) {
    case 'all':
      return sql`${posts.status} <> 'trash'`;
    case 'scheduled':
      return sql`${posts.status} = 'scheduled' and ${posts.publishAt} > now()`;
    case 'published':
      return sql`(${posts.status} = 'published' or (${posts.status} = 'scheduled' and ${posts.publishAt} <= now()))`;
    default:
      return eq(posts.status, status);
  }
}

/**
 * The editor's list of one kind (the Posts tab, or the Pages tab for editors and admins): what the
 * viewer may see, by status, searched, newest change first, with counts of that kind only.
 */
export async function listEditorPosts(options: { kind?: PostKind; status: DisplayStatus | 'all'; q: string; after: string | null }): Promise<EditorList> {
  const viewer = await requireViewer();
  const kind = options.kind ?? 'post';
  if (!canWorkOn(viewer.role, kind)) throw new ForbiddenError(`You are not allowed to work on ${kind}s.`);
  const db = getDb();
  // Whose posts the viewer may list and count: everyone's, or only their own.
  const ownerOnly = canSeeAllPosts(viewer.role) ? null : viewer.id;
  const scope = and(eq(posts.kind, kind), ownerOnly ? eq(posts.authorId, ownerOnly) : undefined);
  // The GIN index answers this; an ILIKE beside it would force a scan of every post.
  const search = options.q ? sql`${posts.search} @@ websearch_to_tsquery('english', ${options.q})` : undefined;
  const cursor = decodeCursor(options.after);
  const [rows, countRows, dueRows] = await Promise.all([
    db
      .select({
        id: posts.id,
        title: posts.title,
        slug: posts.slug,
        displayStatus: displayStatusSql,
        authorName: users.name,
        updatedAt: posts.updatedAt,
        publishAt: posts.publishAt,
      })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(
        and(
          scope,
          statusFilter(options.status),
          search,
          cursor ? sql`(${posts.updatedAt}, ${posts.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)` : undefined,
        ),
      )
      .orderBy(...lastChangedFirst)
      .limit(EDITOR_PAGE + 1),
    // Tallies per stored status: kept per author by triggers (post_counts), or, for a search,
    // counted among the matches. The scheduled posts whose time has come (a few) are then moved
    // to "published", as readers see them.
    search
      ? db
          .select({ status: posts.status, n: sql<number>`count(*)::int` })
          .from(posts)
          .where(and(scope, search))
          .groupBy(posts.status)
      : db
          .select({ status: postCounts.status, n: sql<number>`sum(${postCounts.n})::int` })
          .from(postCounts)
          .where(and(eq(postCounts.kind, kind), ownerOnly ? eq(postCounts.authorId, ownerOnly) : undefined))
          .groupBy(postCounts.status),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(posts)
      .where(and(scope, search, sql`${posts.status} = 'scheduled' and ${posts.publishAt} <= now()`)),
  ]);
  const counts = { all: 0, draft: 0, review: 0, scheduled: 0, published: 0, trash: 0 };
  for (const row of countRows) {
    counts[row.status] = row.n;
    if (row.status !== 'trash') counts.all += row.n;
  }
  const due = dueRows[0]?.n ?? 0;
  counts.scheduled -= due;
  counts.published += due;
  const items = rows.slice(0, EDITOR_PAGE);
  const last = items.at(-1);
  return {
    items,
    counts,
    nextCursor: rows.length > EDITOR_PAGE && last ? encodeCursor({ at: last.updatedAt, id: last.id }) : null,
  };
}

export type RevisionSummary = { id: string; version: number; kind: string; actorName: string | null; createdAt: Date; title: string };

/** A post's revisions, newest first, if the viewer may see the post. */
/** The post, if the viewer may see it; else NotFound (whether it exists is not revealed). */
async function requireVisiblePost(postId: string) {
  const viewer = await requireViewer();
  const post = await loadEditorPost(postId);
  if (!post || !permissions(viewer, { ...post, firstPublishedAt: post.firstPublishedAtDate }).view) {
    throw new NotFoundError('This post does not exist, or you cannot see it.');
  }
  return { viewer, post };
}

const revisionColumns = {
  id: postRevisions.id,
  version: postRevisions.version,
  kind: postRevisions.kind,
  actorName: users.name,
  createdAt: postRevisions.createdAt,
  title: postRevisions.title,
};

export async function listRevisions(postId: string): Promise<RevisionSummary[]> {
  await requireVisiblePost(postId);
  return getDb()
    .select(revisionColumns)
    .from(postRevisions)
    .leftJoin(users, eq(users.id, postRevisions.actorId))
    .where(eq(postRevisions.postId, postId))
    .orderBy(desc(postRevisions.createdAt), desc(postRevisions.version));
}

export type RevisionDetail = RevisionSummary & { markdown: string; fields: Record<string, unknown> };

export async function getRevision(postId: string, revisionId: string): Promise<RevisionDetail> {
  await requireVisiblePost(postId);
  const [row] = await getDb()
    .select({ ...revisionColumns, markdown: postRevisions.markdown, fields: postRevisions.fields })
    .from(postRevisions)
    .leftJoin(users, eq(users.id, postRevisions.actorId))
    .where(and(eq(postRevisions.id, revisionId), eq(postRevisions.postId, postId)))
    .limit(1);
  if (!row) throw new NotFoundError('No such revision.');
  return row;
}
