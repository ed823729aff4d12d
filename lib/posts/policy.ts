import type { PostStatus, Role } from '@/db/schema';

/**
 * Who may do what to a post: a pure table, no I/O, tested exhaustively (every role × action × status).
 * The data-access layer asks it before every read or write of non-public data.
 *
 *   contributor  writes own posts and edits them while draft or in review; submits them for review;
 *                never publishes, schedules, unpublishes, or deletes anything that was ever published.
 *   author       also publishes, schedules, unpublishes, trashes, restores and deletes own posts.
 *   editor       all of that on everyone's posts.
 *   admin        as editor (plus people and settings, see lib/users/policy.ts).
 */
export const postActions = [
  'view',
  'edit',
  'submit',
  'publish',
  'schedule',
  'unpublish',
  'trash',
  'restore',
  'delete',
  'preview',
] as const;
export type PostAction = (typeof postActions)[number];

export type PostContext = {
  status: PostStatus;
  /** The viewer wrote it. */
  isOwn: boolean;
  /** It has been public at some point (first_published_at is set). */
  everPublished: boolean;
};

/** Which statuses each action can start from: the state machine, independent of who asks. */
const from: Record<PostAction, readonly PostStatus[]> = {
  view: ['draft', 'review', 'scheduled', 'published', 'trash'],
  preview: ['draft', 'review', 'scheduled', 'published'],
  edit: ['draft', 'review', 'scheduled', 'published'],
  submit: ['draft'],
  publish: ['draft', 'review', 'scheduled', 'published'],
  schedule: ['draft', 'review', 'scheduled', 'published'],
  unpublish: ['scheduled', 'published'],
  trash: ['draft', 'review', 'scheduled', 'published'],
  restore: ['trash'],
  delete: ['trash'],
};

const everyone: readonly Role[] = ['contributor', 'author', 'editor', 'admin'];

export function canOnPost(role: Role, action: PostAction, post: PostContext): boolean {
  if (!from[action].includes(post.status)) return false;
  if (role === 'editor' || role === 'admin') return true;
  if (!post.isOwn) return false;
  if (role === 'author') return true;
  // Contributor, own post.
  switch (action) {
    case 'view':
    case 'preview':
      return true;
    case 'edit':
    case 'trash':
      return post.status === 'draft' || post.status === 'review';
    case 'submit':
      return true;
    case 'restore':
    case 'delete':
      return !post.everPublished;
    default:
      return false;
  }
}

/** Anyone signed in may start a post. */
export function canCreatePost(role: Role): boolean {
  return everyone.includes(role);
}

/** Editors and admins see everyone's posts in the editor; others see their own. */
export function canSeeAllPosts(role: Role): boolean {
  return role === 'editor' || role === 'admin';
}
