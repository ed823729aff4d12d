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
  headingLevel = 2,
  eagerFirst = isFirstPage,
}: {
  page: PostPage;
  basePath: string;
  timeZone: string;
  isFirstPage: boolean;
  empty: string;
  /** 3 when the list sits under a section heading of its own (the home page with featured posts). */
  headingLevel?: 2 | 3;
  /** Whether the first card's image loads eagerly (not when featured posts come first). */
  eagerFirst?: boolean;
}) {
  if (page.items.length === 0) return <p className="empty">{empty}</p>;
  return (
    <>
      <div className="post-list">
        {page.items.map((post, index) => (
          <PostCard key={post.id} post={post} timeZone={timeZone} eager={eagerFirst && index === 0} headingLevel={headingLevel} />
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
