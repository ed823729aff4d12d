import type { PostKind, PostStatus, Role } from '@/db/schema';

/**
 * Who may do what to a post or page: a pure table, no I/O, tested exhaustively (every kind × role × action × status).
 * The data-access layer asks it before every read or write of non-public data.
 *
 *   contributor  writes own posts and edits them while draft or in review; submits them for review;
 *                never publishes, schedules, unpublishes, or deletes anything that was ever published.
 *   author       also publishes, schedules, unpublishes, trashes, restores and deletes own posts.
 *   editor       all of that on everyone's posts.
 *   admin        as editor (plus people and settings, see lib/users/policy.ts).
 *
 * Pages (About, Contact: kind 'page') belong to the site, as in WordPress: only editors and admins
 * create, see, edit, publish or delete them, whoever is named as their author (`kinds` below).
 */
export const postActions = ['view', 'edit', 'submit', 'publish', 'schedule', 'unpublish', 'trash', 'restore', 'delete', 'preview'] as const;
export type PostAction = (typeof postActions)[number];

export type PostContext = {
  kind: PostKind;
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

/** Who works on each kind at all: a role not listed may do nothing to that kind, not even see it. */
const kinds: Record<PostKind, readonly Role[]> = {
  post: ['contributor', 'author', 'editor', 'admin'],
  page: ['editor', 'admin'],
};

/** Whether a role works on this kind at all (the editor's Pages tab, creating one). */
export function canWorkOn(role: Role, kind: PostKind): boolean {
  return kinds[kind].includes(role);
}

export function canOnPost(role: Role, action: PostAction, post: PostContext): boolean {
  if (!canWorkOn(role, post.kind)) return false;
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

/** Anyone signed in may start a post; only editors and admins a page. */
export function canCreatePost(role: Role, kind: PostKind): boolean {
  return canWorkOn(role, kind);
}

/** Editors and admins see everyone's posts in the editor; others see their own. */
export function canSeeAllPosts(role: Role): boolean {
  return role === 'editor' || role === 'admin';
}

/** Featuring a post (the home page leads with it) is an editorial choice: editors and admins only. */
export function canFeature(role: Role): boolean {
  return role === 'editor' || role === 'admin';
}

/**
 * Who may change a post's primary author (the first in the byline, who owns the post for every rule
 * above): editors and admins. Whoever may edit a post may add, remove and order its co-authors;
 * being a co-author gives no right on the post.
 */
export function canChangePrimaryAuthor(role: Role): boolean {
  return role === 'editor' || role === 'admin';
}
