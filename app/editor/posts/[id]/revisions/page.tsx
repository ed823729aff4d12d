import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { orNotFound } from '@/components/editor/guard';
import { RevisionList } from '@/components/editor/revision-list';
import { LineDiff } from '@/components/editor/revision-diff';
import { RestoreRevisionButton } from '@/components/editor/restore-revision-button';
import { restoreRevisionAction } from '../actions';
import { formatDateTime } from '@/components/editor/time-zone';
import { firstParam } from '@/lib/params';
import { getEditorPost, getRevision, listRevisions } from '@/lib/posts/editor-queries';
import { getSiteSettings } from '@/lib/site/settings';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Revisions' };

/** A post's saved versions; `?rev=` compares one with the current text and offers to restore it. */
export default async function RevisionsPage({ params, searchParams }: Props) {
  const id = z.uuid().safeParse((await params).id);
  const rawRev = firstParam((await searchParams).rev);
  const rev = rawRev === undefined ? null : z.uuid().safeParse(rawRev);
  if (!id.success || (rev && !rev.success)) notFound();
  const back = `/editor/posts/${id.data}/revisions`;
  // The post first: when it is missing, exactly one notFound() is thrown.
  const post = await orNotFound(getEditorPost(id.data), back);
  const [revisions, site, revision] = await Promise.all([
    orNotFound(listRevisions(id.data), back),
    getSiteSettings(),
    rev?.success ? orNotFound(getRevision(id.data, rev.data), back) : null,
  ]);
  return (
    <>
      <p>
        <Link href={`/editor/posts/${post.id}`}>← Back to the post</Link>
      </p>
      <h1 className="editor-title">Revisions of “{post.fields.title || '(untitled)'}”</h1>
      <p className="hint">The current version is {post.version}. Autosaves keep at most one revision every few minutes.</p>
      <div className="revisions-layout">
        <RevisionList postId={post.id} revisions={revisions} selected={revision?.id ?? null} timeZone={site.timeZone} />
        {revision ? (
          <section className="panel revision-detail" aria-labelledby="revision-heading">
            <h2 id="revision-heading">
              Version {revision.version}, {formatDateTime(revision.createdAt, site.timeZone)}
            </h2>
            <p className="hint">Changes since this revision: lines marked − (struck out) are only in the revision, lines marked + only in the current version.</p>
            {revision.title !== post.fields.title ? (
              <p>
                Title: <del>{revision.title || '(untitled)'}</del> → <ins>{post.fields.title || '(untitled)'}</ins>
              </p>
            ) : null}
            <LineDiff before={revision.markdown} after={post.fields.markdown} />
            {post.can.edit ? (
              <RestoreRevisionButton postId={post.id} revisionId={revision.id} baseVersion={post.version} restoreRevisionAction={restoreRevisionAction} />
            ) : (
              <p className="hint">{post.status === 'trash' ? 'Restore the post from the trash to bring back a revision.' : 'You cannot change this post now.'}</p>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}
