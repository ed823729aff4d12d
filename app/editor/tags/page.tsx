import type { Metadata } from 'next';
import { adminOnly } from '@/components/admin/guard';
import { TagTable } from '@/components/admin/tag-table';
import { listTagsWithCounts } from '@/lib/tags/admin';
import { deleteTagAction, updateTagAction } from './actions';
import '@/components/admin/admin.css';

export const metadata: Metadata = { title: 'Tags' };

/** Editors and admins: rename, re-slug, describe or delete tags (writers create them by tagging posts). */
export default async function TagsPage() {
  const tags = await adminOnly(listTagsWithCounts(), '/editor/tags');
  return (
    <>
      <h1 className="editor-title">Tags</h1>
      <p className="hint">A new slug moves the tag’s page: links to the old address stop working.</p>
      {tags.length === 0 ? (
        <p className="empty">No tags yet: they appear when a post is tagged.</p>
      ) : (
        <TagTable tags={tags} updateAction={updateTagAction} deleteAction={deleteTagAction} />
      )}
    </>
  );
}
