import { mediaUrl, variantUrl, variantWidthsFor, type MediaRef } from '@/lib/media/urls';

/** A small rendition for previews: the 320-wide WebP when the server makes one, else the original. */
export function thumbnailFor(m: MediaRef): { src: string; width: number; height: number } {
  const [smallest] = variantWidthsFor(m);
  const width = smallest ?? m.width;
  return {
    src: smallest ? variantUrl(m, smallest, 'webp') : mediaUrl(m),
    width,
    height: Math.max(1, Math.round((m.height * width) / m.width)),
  };
}
