/**
 * What an upload really is, from its first bytes (magic numbers) — never from its name or the
 * browser's content type. Only the five raster formats we serve are recognised; SVG (scriptable),
 * HEIC, TIFF, BMP and everything else are not images to us.
 */

export type ImageKind = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

export const IMAGE_TYPES: Record<ImageKind, { contentType: string; ext: string }> = {
  jpeg: { contentType: 'image/jpeg', ext: 'jpg' },
  png: { contentType: 'image/png', ext: 'png' },
  webp: { contentType: 'image/webp', ext: 'webp' },
  avif: { contentType: 'image/avif', ext: 'avif' },
  gif: { contentType: 'image/gif', ext: 'gif' },
};

export const NOT_AN_IMAGE = 'Only JPEG, PNG, WebP, AVIF and GIF images can be uploaded.';

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  bytes.length >= start + text.length && [...text].every((char, i) => bytes[start + i] === char.charCodeAt(0));

const startsWith = (bytes: Uint8Array, signature: number[]) => bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** ISO-BMFF `ftyp` box naming AVIF as its major or a compatible brand (HEIC shares the container). */
function isAvif(bytes: Uint8Array): boolean {
  if (!ascii(bytes, 4, 'ftyp')) return false;
  const size = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  if (size < 16 || size > 512 || size > bytes.length) return false;
  for (let offset = 8; offset + 4 <= size; offset += 4) {
    if (offset === 12) continue; // minor version, not a brand
    if (ascii(bytes, offset, 'avif') || ascii(bytes, offset, 'avis')) return true;
  }
  return false;
}

export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  // Signature, then the IHDR chunk that must come first.
  if (startsWith(bytes, PNG) && ascii(bytes, 12, 'IHDR')) return 'png';
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return 'gif';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'webp';
  if (isAvif(bytes)) return 'avif';
  return null;
}
