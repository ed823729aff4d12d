/**
 * Uploading an image from the browser: POST /api/media (multipart). The browser checks the type and
 * size first only to fail fast; the server looks at the bytes and decides.
 */

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif'] as const;
export const IMAGE_ACCEPT = IMAGE_TYPES.join(',');
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** The parts of the server's MediaItem the editor uses. */
export type UploadedMedia = { id: string; url: string; filename: string; width: number; height: number; alt: string };
export type UploadResult = { ok: true; media: UploadedMedia; markdown: string } | { ok: false; error: string };

const IMAGE_NAME = /\.(jpe?g|png|webp|avif|gif)$/i;

/** A file that looks meant as an image (by type or name), so paste and drop take it over. */
export function looksLikeImage(file: File): boolean {
  return file.type.startsWith('image/') || IMAGE_NAME.test(file.name);
}

/** Why the browser already knows the server would refuse this file, or null. */
export function checkImageFile(file: File): string | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) {
    return `“${file.name}” is not an image we accept: use JPEG, PNG, WebP, AVIF or GIF.`;
  }
  if (file.size > MAX_IMAGE_BYTES) return `“${file.name}” is larger than the 20 MB limit.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  return null;
}

function isUploadBody(body: unknown): body is { ok: true; media: UploadedMedia; markdown: string } {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  const media = b.media as Record<string, unknown> | undefined;
  return b.ok === true && typeof b.markdown === 'string' && typeof media?.url === 'string' && typeof media.id === 'string';
}

/** Uploads one image; `postId` records which post it was uploaded for (none from the library). */
export async function uploadImage(file: File, options: { postId?: string; alt?: string } = {}): Promise<UploadResult> {
  const refused = checkImageFile(file);
  if (refused) return { ok: false, error: refused };
  const form = new FormData();
  form.append('file', file, file.name);
  if (options.alt?.trim()) form.append('alt', options.alt.trim());
  if (options.postId) form.append('postId', options.postId);
  let response: Response;
  try {
    response = await fetch('/api/media', { method: 'POST', body: form, credentials: 'same-origin' });
  } catch {
    return { ok: false, error: `Could not reach the server to upload “${file.name}”. Try again when you are back online.` };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML error page, or a redirect to the sign-in page: handled below by status.
  }
  if (response.ok && isUploadBody(body)) return { ok: true, media: body.media, markdown: body.markdown };
  const error = typeof (body as { error?: unknown } | null)?.error === 'string' ? (body as { error: string }).error : null;
  if (error) return { ok: false, error };
  if (response.status === 401) return { ok: false, error: 'You have been signed out. Sign in again to upload images.' };
  if (response.status === 413) return { ok: false, error: `“${file.name}” is larger than the 20 MB limit.` };
  return { ok: false, error: `“${file.name}” could not be uploaded (error ${response.status}).` };
}
