import type { Role } from '@/db/schema';

/**
 * Who may do what in the media library: a pure table like lib/posts/policy.ts, no I/O.
 *
 *   upload     anyone signed in (disabled accounts never get this far); uploading *for a post* also
 *              needs the right to edit that post, which lib/posts/policy.ts decides.
 *   alt text   the uploader, or an editor/admin.
 *   delete     only media no post uses; then the uploader, or an editor/admin.
 */
export type MediaContext = {
  /** The viewer uploaded it. */
  isOwn: boolean;
  /** How many posts (any status, anyone's) reference it in their body or hero image. */
  usedBy: number;
};

const manages = (role: Role) => role === 'editor' || role === 'admin';

export function canUploadMedia(role: Role): boolean {
  return role === 'contributor' || role === 'author' || manages(role);
}

export function canEditMediaAlt(role: Role, media: Pick<MediaContext, 'isOwn'>): boolean {
  return media.isOwn || manages(role);
}

/** Whether the viewer could delete it were it unused (the library shows the button greyed out otherwise). */
export function mayDeleteMedia(role: Role, media: Pick<MediaContext, 'isOwn'>): boolean {
  return media.isOwn || manages(role);
}

export function canDeleteMedia(role: Role, media: MediaContext): boolean {
  return media.usedBy === 0 && mayDeleteMedia(role, media);
}

export function embedThumbnailMessage(url: string): string {
  return `This image is the thumbnail of the embed card for ${url}, shown wherever a post embeds it; it is kept.`;
}

export function mediaInUseMessage(usedBy: number): string {
  return `This image is used by ${usedBy} post(s); remove it from them first.`;
}
