import type { Role } from '@/db/schema';
import { canOnPost, type PostContext } from '@/lib/posts/policy';

/**
 * Who may tick "Also send by email": whoever may publish the post (authors their own, editors and
 * admins any), and only for posts: pages are in no list, feed or newsletter. Pure.
 */
export function canChooseEmail(role: Role, post: PostContext): boolean {
  return post.kind === 'post' && canOnPost(role, 'publish', post);
}
