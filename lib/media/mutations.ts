import 'server-only';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { getDb } from '@/db/client';
import { embeds, media } from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { requireViewer, type Viewer } from '@/lib/auth/viewer';
import { env } from '@/lib/env';
import { loadEditorPost, permissions } from '@/lib/posts/editor-queries';
import { cleanFilename } from './filename';
import { checkSize, cleanImage } from './images';
import { canEditMediaAlt, canUploadMedia, embedThumbnailMessage, mayDeleteMedia, mediaInUseMessage } from './policy';
import { referencesTo, requireMediaItem, type MediaItem } from './queries';
import { deleteInputSchema, updateAltInputSchema, uploadInputSchema } from './schemas';
import { getStorage } from './storage';
import { storeImageOnce } from './store-once';

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ValidationError(issue.message, issue.path.at(-1)?.toString());
  }
  return result.data;
}

/** "Contributors upload for their own posts": uploading for a post needs the right to edit it. */
async function requireEditablePost(viewer: Viewer, postId: string): Promise<void> {
  const post = await loadEditorPost(postId);
  const can = post ? permissions(viewer, { ...post, firstPublishedAt: post.firstPublishedAtDate }) : null;
  if (!post || !can?.view) throw new NotFoundError('This post does not exist, or you cannot see it.');
  if (!can.edit) throw new ForbiddenError('You are not allowed to add images to this post.');
}

/**
 * Stores an image: checked by its bytes, re-encoded without metadata, and — if the very same
 * cleaned image is already in the library — the existing one is returned instead of a copy.
 */
export async function uploadMedia(input: { file: File; alt?: string; postId?: string | null }): Promise<MediaItem> {
  const viewer = await requireViewer();
  const { file, alt, postId } = parse(uploadInputSchema, input);
  if (!canUploadMedia(viewer.role)) throw new ForbiddenError('You are not allowed to upload images.');
  if (postId) await requireEditablePost(viewer, postId);
  checkSize(file.size, env().MEDIA_MAX_BYTES);
  const clean = await cleanImage(Buffer.from(await file.arrayBuffer()));
  const filename = cleanFilename(file.name, clean.ext);
  let stored: string | null = null;
  try {
    return await getDb().transaction(async (tx) => {
      const image = await storeImageOnce(tx, clean, { filename, alt: alt ?? '', uploaderId: viewer.id }, { stored: (key) => (stored = key) });
      if (image.created) {
        await recordAudit(
          { actorId: viewer.id, action: 'media.upload', targetType: 'media', targetId: image.id, detail: { filename, bytes: clean.data.length, postId } },
          tx,
        );
      }
      return requireMediaItem(viewer, image.id, tx);
    });
  } catch (error) {
    // The row never committed: do not leave its bytes behind.
    const orphan: string | null = stored;
    if (orphan)
      await getStorage()
        .delete(orphan)
        .catch((cause) => console.error('[media] could not remove orphan', orphan, cause));
    throw error;
  }
}

async function lockMedia(tx: Parameters<Parameters<ReturnType<typeof getDb>['transaction']>[0]>[0], id: string) {
  const [row] = await tx
    .select({ id: media.id, uploaderId: media.uploaderId, storageKey: media.storageKey, filename: media.filename, alt: media.alt })
    .from(media)
    .where(eq(media.id, id))
    .for('update')
    .limit(1);
  if (!row) throw new NotFoundError('This image does not exist.');
  return row;
}

export async function updateMediaAlt(input: { id: string; alt: string }): Promise<MediaItem> {
  const viewer = await requireViewer();
  const { id, alt } = parse(updateAltInputSchema, input);
  return getDb().transaction(async (tx) => {
    const row = await lockMedia(tx, id);
    if (!canEditMediaAlt(viewer.role, { isOwn: row.uploaderId === viewer.id })) {
      throw new ForbiddenError('Only the uploader or an editor can change this image’s alt text.');
    }
    await tx.update(media).set({ alt }).where(eq(media.id, id));
    await recordAudit({ actorId: viewer.id, action: 'media.alt', targetType: 'media', targetId: id, detail: { from: row.alt, to: alt } }, tx);
    return requireMediaItem(viewer, id, tx);
  });
}

/** Deletes an image no post uses, with every generated size. */
export async function deleteMedia(input: { id: string }): Promise<void> {
  const viewer = await requireViewer();
  const { id } = parse(deleteInputSchema, input);
  const storageKey = await getDb().transaction(async (tx) => {
    const row = await lockMedia(tx, id);
    if (!mayDeleteMedia(viewer.role, { isOwn: row.uploaderId === viewer.id })) {
      throw new ForbiddenError('Only the uploader or an editor can delete this image.');
    }
    // Every post counts here, including ones the viewer cannot see and ones in the trash.
    const used = new Set((await referencesTo([id], tx)).map((ref) => ref.postId)).size;
    if (used > 0) throw new ConflictError(mediaInUseMessage(used));
    // An embed card's thumbnail (lib/embeds) is the cached card's image, in every post that shows the card.
    const [card] = await tx.select({ url: embeds.url }).from(embeds).where(eq(embeds.thumbnailMediaId, id)).limit(1);
    if (card) throw new ConflictError(embedThumbnailMessage(card.url));
    await tx.delete(media).where(eq(media.id, id));
    await recordAudit({ actorId: viewer.id, action: 'media.delete', targetType: 'media', targetId: id, detail: { filename: row.filename } }, tx);
    return row.storageKey;
  });
  // After the commit: the row is gone, so nothing links to these bytes any more.
  await getStorage()
    .delete(storageKey)
    .catch((cause) => console.error('[media] could not remove the bytes of', id, cause));
}
