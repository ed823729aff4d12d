import type { PostSummary } from '@/lib/posts/queries';
import { PostCard } from './post-card';

/** Under an article: up to three public posts sharing the most of its tags, newest first among equals. */
export function RelatedPosts({ posts, timeZone }: { posts: PostSummary[]; timeZone: string }) {
  return (
    <section className="related" aria-labelledby="related-heading">
      <h2 id="related-heading">Related posts</h2>
      <div className="post-list related-list">
        {posts.map((post) => (
          <PostCard key={post.id} post={post} timeZone={timeZone} headingLevel={3} />
        ))}
      </div>
    </section>
  );
}
