import 'server-only';
import type { PostKind } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/errors';
import { requireViewer } from '@/lib/auth/viewer';
import { permissions, type EditorPost } from './editor-queries';
import { canCreatePost } from './policy';
import { emptyPostFields } from './schemas';

/**
 * The editor's state for a post not written yet (/editor/posts/new): nothing is stored until the
 * first keystroke, when createDraftAction makes the row. The empty id marks it as unborn.
 */
export async function unbornEditorPost(kind: PostKind = 'post'): Promise<EditorPost> {
  const viewer = await requireViewer();
  if (!canCreatePost(viewer.role, kind)) throw new ForbiddenError(`You are not allowed to write ${kind}s.`);
  const now = new Date().toISOString();
  return {
    id: '',
    kind,
    version: 0,
    status: 'draft',
    displayStatus: 'draft',
    slug: '',
    publishAt: null,
    firstPublishedAt: null,
    updatedAt: now,
    author: { id: viewer.id, name: viewer.name },
    fields: { ...emptyPostFields(), ...(kind === 'post' ? { featured: false, authors: [viewer.id], series: '' } : {}) },
    previewToken: null,
    can: permissions(viewer, { kind, authorId: viewer.id, status: 'draft', firstPublishedAt: null }),
  };
}
