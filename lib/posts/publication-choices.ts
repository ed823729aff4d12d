import 'server-only';
import { asc, inArray, isNull, or } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { requireViewer } from '@/lib/auth/viewer';
import { getEditorPost } from './editor-queries';
import { canChangePrimaryAuthor, canFeature } from './policy';
import { listSeriesNames } from './publication';

export type PublicationChoices = {
  /** Whether the viewer may feature posts (editors and admins). */
  canFeature: boolean;
  /** Whether the viewer may change who is first in the byline (editors and admins); others order the co-authors after it. */
  canChangePrimary: boolean;
  /** Who can be in the byline: every account that is not disabled, and whoever the post already names. */
  people: { id: string; name: string }[];
  series: { id: string; name: string }[];
};

/** What the post form's publication fields offer, for someone who may see the post (else NotFound, as the editor page). */
export async function getPublicationChoices(postId: string): Promise<PublicationChoices> {
  const viewer = await requireViewer();
  const post = await getEditorPost(postId);
  const db = getDb();
  const named = post.fields.authors ?? [post.author.id];
  const [people, series] = await Promise.all([
    db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(or(isNull(users.disabledAt), inArray(users.id, named)))
      .orderBy(asc(users.name), asc(users.id)),
    listSeriesNames(db),
  ]);
  return { canFeature: canFeature(viewer.role), canChangePrimary: canChangePrimaryAuthor(viewer.role), people, series };
}
