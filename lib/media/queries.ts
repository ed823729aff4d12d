import 'server-only';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { media, posts, users, type Media } from '@/db/schema';
import { NotFoundError, ValidationError } from '@/lib/auth/errors';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { decodeCursor, encodeCursor } from '@/lib/posts/cursor';
import { canSeeAllPosts } from '@/lib/posts/policy';
import { canEditMediaAlt, canDeleteMedia } from './policy';
import { listInputSchema, mediaIdSchema } from './schemas';
import { mediaUrl } from './urls';

/** One image as the editor's library shows it. */
export type MediaItem = {
  id: string;
  url: string;
  filename: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
  alt: string;
  createdAt: string;
  uploaderName: string | null;
  /** The posts using it that the viewer may see in the editor. */
  usedBy: { id: string; title: string }[];
  canDelete: boolean;
  canEdit: boolean;
};

export const MEDIA_PAGE = 40;

type Db = Pick<ReturnType<typeof getDb>, 'select' | 'execute'>;

const itemColumns = {
  id: media.id,
  filename: media.filename,
  contentType: media.contentType,
  bytes: media.bytes,
  width: media.width,
  height: media.height,
  alt: media.alt,
  createdAt: media.createdAt,
  uploaderId: media.uploaderId,
  uploaderName: users.name,
};
type ItemRow = Pick<Media, 'id' | 'filename' | 'contentType' | 'bytes' | 'width' | 'height' | 'alt' | 'createdAt' | 'uploaderId'> & {
  uploaderName: string | null;
};

export type MediaReference = { mediaId: string; postId: string; title: string; authorId: string };

/**
 * Every post (any status, anyone's) whose body or hero image points at one of these images. A
 * reference is the text `/media/<id>/`, relative or absolute, as lib/media/urls.ts builds it.
 * posts_media_ids_idx (on media_ids_in(markdown, hero_image), the ids in those texts) finds the
 * candidate posts; strpos then pairs each with its images, so the rule above stays the definition.
 */
export async function referencesTo(ids: string[], db: Db = getDb()): Promise<MediaReference[]> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = await db.execute<{ media_id: string; post_id: string; title: string; author_id: string }>(sql`
    select m.id::text as media_id, p.id as post_id, p.title, p.author_id
      from ${posts} p
      join unnest(array[${list}]::uuid[]) as m(id)
        on strpos(p.markdown, '/media/' || m.id::text || '/') > 0
        or strpos(coalesce(p.hero_image, ''), '/media/' || m.id::text || '/') > 0
     where media_ids_in(p.markdown, p.hero_image) && array[${list}]::uuid[]
     order by p.updated_at desc, p.id`);
  return result.rows.map((row) => ({ mediaId: row.media_id, postId: row.post_id, title: row.title, authorId: row.author_id }));
}

export function toMediaItem(viewer: Viewer, row: ItemRow, references: MediaReference[]): MediaItem {
  const mine = references.filter((ref) => ref.mediaId === row.id);
  const seesAll = canSeeAllPosts(viewer.role);
  const context = { isOwn: row.uploaderId === viewer.id, usedBy: mine.length };
  return {
    id: row.id,
    url: mediaUrl(row),
    filename: row.filename,
    contentType: row.contentType,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    alt: row.alt,
    createdAt: row.createdAt.toISOString(),
    uploaderName: row.uploaderName,
    usedBy: mine.filter((ref) => seesAll || ref.authorId === viewer.id).map((ref) => ({ id: ref.postId, title: ref.title })),
    canDelete: canDeleteMedia(viewer.role, context),
    canEdit: canEditMediaAlt(viewer.role, context),
  };
}

async function loadItems(viewer: Viewer, where: SQL | undefined, limit: number, db: Db = getDb()) {
  const rows = await db
    .select(itemColumns)
    .from(media)
    .leftJoin(users, eq(users.id, media.uploaderId))
    .where(where)
    // Spelled as media_created_idx is built, so PostgreSQL walks the index.
    .orderBy(sql`${media.createdAt} desc nulls last`, sql`${media.id} desc nulls last`)
    .limit(limit);
  const references = await referencesTo(
    rows.map((row) => row.id),
    db,
  );
  return { rows, items: rows.map((row) => toMediaItem(viewer, row, references)) };
}

/** The library: every image, newest first, searched by file name and alt text, 40 a page. */
export async function listMedia(input: { q: string; after: string | null }): Promise<{ items: MediaItem[]; nextCursor: string | null }> {
  const viewer = await requireViewer();
  const parsed = listInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(parsed.error.issues[0].message, 'q');
  const { q, after } = parsed.data;
  const cursor = decodeCursor(after);
  const pattern = `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  const { rows, items } = await loadItems(
    viewer,
    and(
      q ? sql`(${media.filename} ilike ${pattern} or ${media.alt} ilike ${pattern})` : undefined,
      cursor ? sql`(${media.createdAt}, ${media.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)` : undefined,
    ),
    MEDIA_PAGE + 1,
  );
  const page = items.slice(0, MEDIA_PAGE);
  const last = rows[MEDIA_PAGE - 1];
  return { items: page, nextCursor: rows.length > MEDIA_PAGE && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
}

/** One image for the signed-in editor, or null. */
export async function getMedia(id: string): Promise<MediaItem | null> {
  const viewer = await requireViewer();
  const parsed = mediaIdSchema.safeParse(id);
  if (!parsed.success) return null;
  return (await loadItems(viewer, eq(media.id, parsed.data), 1)).items[0] ?? null;
}

/** Like getMedia, inside a transaction, for the mutations' answers. */
export async function requireMediaItem(viewer: Viewer, id: string, db: Db): Promise<MediaItem> {
  const item = (await loadItems(viewer, eq(media.id, id), 1, db)).items[0];
  if (!item) throw new NotFoundError('This image does not exist.');
  return item;
}

export type MediaFile = Pick<Media, 'id' | 'storageKey' | 'filename' | 'contentType' | 'width' | 'height' | 'sha256'>;

/**
 * What the public /media/… route needs to serve an image. Images are public by URL (they appear
 * in published articles; the id is unguessable), so no viewer is involved.
 */
export async function getMediaFile(id: string): Promise<MediaFile | null> {
  if (!mediaIdSchema.safeParse(id).success) return null;
  const [row] = await getDb()
    .select({
      id: media.id,
      storageKey: media.storageKey,
      filename: media.filename,
      contentType: media.contentType,
      width: media.width,
      height: media.height,
      sha256: media.sha256,
    })
    .from(media)
    .where(eq(media.id, id))
    .limit(1);
  return row ?? null;
}
