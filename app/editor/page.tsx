import type { Metadata } from 'next';
import Link from 'next/link';
import { orNotFound } from '@/components/editor/guard';
import { NewPostButton } from '@/components/editor/new-post-button';
import { PostTable } from '@/components/editor/post-table';
import { listHref, StatusTabs } from '@/components/editor/status-tabs';
import { firstParam } from '@/lib/params';
import { listEditorPosts } from '@/lib/posts/editor-queries';
import { editorListSchema } from '@/lib/posts/schemas';
import { getSiteSettings } from '@/lib/site/settings';
import { Pager } from '@/components/ui/pager';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: 'Posts' };

/** The posts the viewer may see, by status, searchable, newest change first. */
export default async function EditorPostsPage({ searchParams }: Props) {
  const raw = await searchParams;
  const { status, q, after } = editorListSchema.parse({ status: firstParam(raw.status), q: firstParam(raw.q), after: firstParam(raw.after) });
  const [list, site] = await Promise.all([orNotFound(listEditorPosts({ status, q, after })), getSiteSettings()]);
  return (
    <>
      <header className="editor-page-header">
        <h1 className="editor-title">Posts</h1>
        <NewPostButton />
      </header>
      <StatusTabs current={status} q={q} counts={list.counts} />
      <form action="/editor" method="get" role="search" className="editor-search">
        {status !== 'all' ? <input type="hidden" name="status" value={status} /> : null}
        <label htmlFor="editor-q">Search posts</label>
        <input id="editor-q" type="search" name="q" defaultValue={q} maxLength={200} />
        <button type="submit">Search</button>
        {q ? <Link href={listHref({ status, q: '' })}>Clear search</Link> : null}
      </form>
      {list.items.length === 0 ? (
        <p className="empty">
          {q ? `No posts match “${q}”.` : after ? 'No older posts.' : status === 'all' ? 'No posts yet. Start one with “New post”.' : 'No posts here.'}
        </p>
      ) : (
        <PostTable items={list.items} timeZone={site.timeZone} />
      )}
      <Pager newestHref={after ? listHref({ status, q }) : null} olderHref={list.nextCursor ? listHref({ status, q, after: list.nextCursor }) : null} />
    </>
  );
}
