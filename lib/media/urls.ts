/**
 * The shape of our media URLs, shared by the server (serving, markdown) and the browser (editor):
 *   original  /media/<id>/<W>x<H>/<filename>          e.g. /media/9b2…/1600x900/sunset-over-bay.jpg
 *   variant   /media/<id>/<W>x<H>/w<width>.<ext>      e.g. /media/9b2…/1600x900/w640.webp
 * The dimensions in the path let any page size an image without asking the database.
 * Pure and client-safe: no server imports here.
 */

export type MediaRef = { id: string; width: number; height: number; filename: string };
export type VariantFormat = 'webp' | 'avif' | 'original';

/** The only widths the server generates (a request for any other width is a 404). */
export const VARIANT_WIDTHS = [320, 640, 960, 1280, 1920] as const;

/** Body images are at most the article's measure wide. */
export const BODY_IMAGE_SIZES = '(max-width: 44rem) 100vw, 44rem';

export const MEDIA_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A cleaned file name: lower-case slug plus extension (what lib/media/mutations stores). */
export const MEDIA_FILENAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.[a-z0-9]{2,5}$/;
const DIMENSION = /^[1-9][0-9]{0,5}$/;
const PATH = /^\/media\/([^/]+)\/([^/]+)x([^/]+)\/([^/]+)$/;

export function mediaUrl(m: MediaRef): string {
  return `/media/${m.id}/${m.width}x${m.height}/${m.filename}`;
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot >= 0 ? filename.slice(dot + 1) : '';
}

export function variantUrl(m: MediaRef, width: number, format: VariantFormat): string {
  const ext = format === 'original' ? extensionOf(m.filename) : format;
  return `/media/${m.id}/${m.width}x${m.height}/w${width}.${ext}`;
}

/** The variant widths offered for an image: only those smaller than the original. */
export function variantWidthsFor(m: Pick<MediaRef, 'width'>): number[] {
  return VARIANT_WIDTHS.filter((width) => width < m.width);
}

/**
 * A `srcset` value: every offered variant in `format`, then the original itself at its own width
 * (so wide screens still get the full image; an image narrower than 320 px is just the original).
 */
export function srcSetFor(m: MediaRef, format: VariantFormat): string {
  return [...variantWidthsFor(m).map((width) => `${variantUrl(m, width, format)} ${width}w`), `${mediaUrl(m)} ${m.width}w`].join(', ');
}

/**
 * The media behind a URL, or null. Accepts the relative path or an absolute http(s) URL on any host
 * whose path matches; a query string or fragment is not ours, so it does not match.
 */
export function parseMediaUrl(url: string): MediaRef | null {
  if (typeof url !== 'string' || url.length > 500) return null;
  let path = url;
  if (!url.startsWith('/')) {
    if (!/^https?:\/\//i.test(url)) return null;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (parsed.search || parsed.hash || url.includes('#')) return null;
    path = parsed.pathname;
  }
  const match = PATH.exec(path);
  if (!match) return null;
  const [, id, w, h, filename] = match;
  if (!MEDIA_ID_PATTERN.test(id) || !DIMENSION.test(w) || !DIMENSION.test(h)) return null;
  if (!MEDIA_FILENAME_PATTERN.test(filename)) return null;
  return { id, width: Number(w), height: Number(h), filename };
}

/** The origin part of an absolute URL ('' for a path), so generated variant URLs stay on the same host. */
function originOf(url: string): string {
  return url.startsWith('/') ? '' : new URL(url).origin;
}

export type ResponsiveImage = { src: string; width: number; height: number; srcSet?: string; sizes?: string };

/**
 * Attributes for an `<img>`: for our own media, the real dimensions and a WebP `srcSet` with `sizes`;
 * any other image keeps its `src` and the given fallback dimensions (it still works, as before).
 */
export function responsiveImage(src: string, sizes: string, fallback: { width: number; height: number }): ResponsiveImage {
  const media = parseMediaUrl(src);
  if (!media) return { src, ...fallback };
  const origin = originOf(src);
  const srcSet = srcSetFor(media, 'webp')
    .split(', ')
    .map((candidate) => origin + candidate)
    .join(', ');
  return { src, width: media.width, height: media.height, srcSet, sizes };
}
