import type { EditorPost } from '@/lib/posts/editor-queries';
import type { PostFields } from '@/lib/posts/schemas';
import { slugify } from '@/lib/slug';

/** Pure helpers for the editor form: the browser's safety copy, field comparison, tags, slugs. */

export type LocalDraft = { baseVersion: number; fields: PostFields; savedAt: string };

export const draftKey = (postId: string) => `broadsheet:draft:${postId}`;

/** The copy kept in this browser until the server confirms a save; null when absent or unreadable. */
export function readLocalDraft(postId: string): LocalDraft | null {
  try {
    const raw = window.localStorage.getItem(draftKey(postId));
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (!value || typeof value !== 'object') return null;
    const { baseVersion, fields, savedAt } = value as Record<string, unknown>;
    if (typeof baseVersion !== 'number' || typeof savedAt !== 'string' || !isFields(fields)) return null;
    return { baseVersion, fields, savedAt };
  } catch {
    return null;
  }
}

export function writeLocalDraft(postId: string, draft: LocalDraft): void {
  try {
    window.localStorage.setItem(draftKey(postId), JSON.stringify(draft));
  } catch {
    // Private mode or a full quota: the server copy is still the one that counts.
  }
}

export function removeLocalDraft(postId: string): void {
  try {
    window.localStorage.removeItem(draftKey(postId));
  } catch {
    // Nothing to clean up if storage is unavailable.
  }
}

const stringKeys = ['title', 'subtitle', 'description', 'slug', 'heroImage', 'heroImageAlt', 'cta', 'markdown'] as const;

function isFields(value: unknown): value is PostFields {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    stringKeys.every((key) => typeof v[key] === 'string') &&
    Array.isArray(v.tags) &&
    v.tags.every((tag) => typeof tag === 'string') &&
    (v.readTimeOverride === null || typeof v.readTimeOverride === 'number')
  );
}

/** A `conflict` from an action result is the newer EditorPost; checked, not cast. */
export function isEditorPost(value: unknown): value is EditorPost {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.version === 'number' && isFields(v.fields) && typeof v.can === 'object';
}

/**
 * Same content? An empty slug means "follows the title", which matches whatever the server
 * derived, so it is only compared when both sides were typed by hand.
 */
export function sameFields(a: PostFields, b: PostFields): boolean {
  return differingFields(a, b).length === 0;
}

export function differingFields(a: PostFields, b: PostFields): (keyof PostFields)[] {
  const keys = Object.keys(a) as (keyof PostFields)[];
  return keys.filter((key) => {
    if (key === 'slug') return a.slug !== '' && b.slug !== '' && a.slug !== b.slug;
    if (key === 'tags') return a.tags.join('\u0000') !== b.tags.join('\u0000');
    if (key === 'authors') return (a.authors ?? []).join(' ') !== (b.authors ?? []).join(' ');
    return a[key] !== b[key];
  });
}

/** "news, Paris , news" → ["news", "Paris"]: trimmed, empty and repeated (any case) names dropped. */
export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of input.split(',')) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags;
}

/** What the slug would become from this title (the server may add "-2" if it is taken). */
export function slugPreview(title: string): string {
  return slugify(title, 'untitled');
}

/**
 * Whether the stored slug still follows the title: never once published, and only if it looks
 * derived (the fresh "untitled-3f9a1c", the title's slug, or that slug with a "-2" suffix).
 */
export function slugFollowsTitle(post: Pick<EditorPost, 'firstPublishedAt' | 'slug' | 'fields'>): boolean {
  if (post.firstPublishedAt) return false;
  if (/^untitled-[0-9a-f]{6}$/.test(post.slug)) return true;
  const derived = slugPreview(post.fields.title);
  return post.slug === derived || new RegExp(`^${derived}-\\d+$`).test(post.slug);
}
