import Link from 'next/link';
import { orNotFound } from '@/components/editor/guard';
import { NewPostButton } from '@/components/editor/new-post-button';
import { createPostAction } from './posts/new/actions';
import { PostTable } from '@/components/editor/post-table';
import { listHref, StatusTabs } from '@/components/editor/status-tabs';
import { Pager } from '@/components/ui/pager';
import type { PostKind } from '@/db/schema';
import { firstParam } from '@/lib/params';
import { listEditorPosts } from '@/lib/posts/editor-queries';
import { editorListSchema } from '@/lib/posts/schemas';
import { getSiteSettings } from '@/lib/site/settings';

type SearchParams = Record<string, string | string[] | undefined>;

const words = {
  post: { title: 'Posts', base: '/editor', one: 'post', many: 'posts', New: 'New post' },
  page: { title: 'Pages', base: '/editor/pages', one: 'page', many: 'pages', New: 'New page' },
} as const;

/** The Posts tab (/editor) and the Pages tab (/editor/pages): one kind, by status, searchable, newest change first. */
export async function EditorListing({ kind, searchParams }: { kind: PostKind; searchParams: SearchParams }) {
  const w = words[kind];
  const { status, q, after } = editorListSchema.parse({
    status: firstParam(searchParams.status),
    q: firstParam(searchParams.q),
    after: firstParam(searchParams.after),
  });
  const [list, site] = await Promise.all([orNotFound(listEditorPosts({ kind, status, q, after })), getSiteSettings()]);
  const href = (options: Parameters<typeof listHref>[0]) => listHref({ ...options, base: w.base });
  return (
    <>
      <header className="editor-page-header">
        <h1 className="editor-title">{w.title}</h1>
        {/* A post opens the editor at once (the draft is made on the first keystroke); a page is made first, then opened. */}
        {kind === 'post' ? (
          <Link href="/editor/posts/new" className="button">
            {w.New}
          </Link>
        ) : (
          <NewPostButton action={createPostAction} kind={kind} label={w.New} />
        )}
      </header>
      <StatusTabs current={status} q={q} counts={list.counts} base={w.base} label={`${w.title} by status`} />
      <form action={w.base} method="get" role="search" className="editor-search">
        {status !== 'all' ? <input type="hidden" name="status" value={status} /> : null}
        <label htmlFor="editor-q">Search {w.many}</label>
        <input id="editor-q" type="search" name="q" defaultValue={q} maxLength={200} />
        <button type="submit">Search</button>
        {q ? <Link href={href({ status, q: '' })}>Clear search</Link> : null}
      </form>
      {list.items.length === 0 ? (
        <p className="empty">
          {q
            ? `No ${w.many} match “${q}”.`
            : after
              ? `No older ${w.many}.`
              : status === 'all'
                ? `No ${w.many} yet. Start one with “${w.New}”.`
                : `No ${w.many} here.`}
        </p>
      ) : (
        <PostTable items={list.items} timeZone={site.timeZone} caption={`${w.title}, most recently changed first`} />
      )}
      <Pager newestHref={after ? href({ status, q }) : null} olderHref={list.nextCursor ? href({ status, q, after: list.nextCursor }) : null} />
    </>
  );
}
