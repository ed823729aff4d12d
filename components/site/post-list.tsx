import { Pager } from '@/components/ui/pager';
import type { PostPage } from '@/lib/posts/queries';
import { PostCard } from './post-card';

/**
 * A page of posts with "Older posts" (keyset cursor) and "Newest" links: plain links, so paging
 * works without JavaScript and never costs an OFFSET scan.
 */
export function PostList({
  page,
  basePath,
  timeZone,
  isFirstPage,
  empty,
}: {
  page: PostPage;
  basePath: string;
  timeZone: string;
  isFirstPage: boolean;
  empty: string;
}) {
  if (page.items.length === 0) return <p className="empty">{empty}</p>;
  return (
    <>
      <div className="post-list">
        {page.items.map((post, index) => (
          <PostCard key={post.id} post={post} timeZone={timeZone} eager={isFirstPage && index === 0} />
        ))}
      </div>
      <Pager
        newestHref={isFirstPage ? null : basePath}
        olderHref={page.nextCursor ? `${basePath}?after=${page.nextCursor}` : null}
        olderLabel="Older posts"
        fullLoad
      />
    </>
  );
}
