import 'server-only';
import { eq } from 'drizzle-orm';
import { newsletters, type PostKind, type PostStatus } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer';
import type { Tx } from '@/lib/tags/mutations';
import { canChooseEmail } from './policy';

type Saving = { id: string; kind: PostKind; status: PostStatus; authorId: string; firstPublishedAtDate: Date | null };

/**
 * What a save writes to `posts.send_email` (lib/posts/mutations.ts, in its transaction, the post row
 * locked): the form's choice when the viewer may make it and the post has no newsletter yet; else
 * nothing (undefined), so a contributor's save or an old form never changes it, and a sent
 * newsletter stays what it was.
 */
export async function emailChoice(tx: Tx, viewer: Viewer, post: Saving, wanted: boolean | undefined): Promise<boolean | undefined> {
  if (wanted === undefined) return undefined;
  const context = { kind: post.kind, status: post.status, isOwn: post.authorId === viewer.id, everPublished: post.firstPublishedAtDate !== null };
  if (!canChooseEmail(viewer.role, context)) return undefined;
  const [sent] = await tx.select({ postId: newsletters.postId }).from(newsletters).where(eq(newsletters.postId, post.id)).limit(1);
  return sent ? undefined : wanted;
}
