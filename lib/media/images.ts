import 'server-only';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Metadata, OutputInfo, Sharp } from 'sharp';
import { ValidationError } from '@/lib/auth/errors';
import { IMAGE_TYPES, NOT_AN_IMAGE, sniffImage, type ImageKind } from './sniff';

/** Larger images are refused whatever their file size: a small file can decode to gigabytes. */
export const MAX_PIXELS = 50_000_000;

/** Refused with 413 by the upload route. */
export class FileTooLargeError extends ValidationError {
  override name = 'FileTooLargeError';
  constructor(maxBytes: number) {
    super(`The file is larger than ${formatBytes(maxBytes)}.`, 'file');
  }
}

export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function checkSize(bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) throw new FileTooLargeError(maxBytes);
}

const TOO_MANY_PIXELS = 'The image is larger than 50 megapixels.';

/** sharp's refusals, as a person should read them (its own messages are internals). */
function decodeError(error: unknown): ValidationError {
  if (error instanceof Error && /pixel limit/i.test(error.message)) return new ValidationError(TOO_MANY_PIXELS, 'file');
  return new ValidationError(NOT_AN_IMAGE, 'file');
}

export type CleanImage = {
  kind: ImageKind;
  contentType: string;
  ext: string;
  data: Buffer;
  width: number;
  height: number;
  sha256: string;
};

const encoders: Record<ImageKind, (image: Sharp) => Sharp> = {
  jpeg: (image) => image.jpeg({ quality: 88, mozjpeg: true }),
  png: (image) => image.png(),
  webp: (image) => image.webp({ quality: 88 }),
  avif: (image) => image.avif({ quality: 60 }),
  gif: (image) => image.gif(),
};

/**
 * Checks that the bytes are one of our five formats and decode, then re-encodes them in the same
 * format: turned upright by their EXIF orientation, and without any metadata (GPS, camera, EXIF,
 * XMP, comments — sharp keeps none unless asked). Animated GIF/WebP keep their frames.
 */
export async function cleanImage(input: Buffer): Promise<CleanImage> {
  const kind = sniffImage(input);
  if (!kind) throw new ValidationError(NOT_AN_IMAGE, 'file');
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_PIXELS }).metadata();
  } catch (error) {
    throw decodeError(error);
  }
  // The decoder must agree with the signature (a PNG header on a JPEG body is not accepted).
  const decoded = meta.format === 'heif' ? (meta.compression === 'av1' ? 'avif' : null) : meta.format;
  if (decoded !== kind || !meta.width || !meta.height) throw new ValidationError(NOT_AN_IMAGE, 'file');
  if (meta.width * (meta.pageHeight ?? meta.height) > MAX_PIXELS) {
    throw new ValidationError(TOO_MANY_PIXELS, 'file');
  }
  const animated = (kind === 'gif' || kind === 'webp') && (meta.pages ?? 1) > 1;
  let output: { data: Buffer; info: OutputInfo };
  try {
    const image = sharp(input, { limitInputPixels: MAX_PIXELS, animated });
    // Animated formats carry no EXIF orientation; a rotation would apply to the stacked frames.
    output = await encoders[kind](animated ? image : image.rotate()).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw decodeError(error);
  }
  const height = animated ? (output.info.pageHeight ?? meta.height) : output.info.height;
  return {
    kind,
    ...IMAGE_TYPES[kind],
    data: output.data,
    width: output.info.width,
    height,
    sha256: createHash('sha256').update(output.data).digest('hex'),
  };
}

export type VariantKind = 'webp' | 'avif' | ImageKind;

/** A smaller copy for `srcset`: `width` wide (never enlarged), aspect kept. */
export async function makeVariant(original: Buffer, kind: ImageKind, width: number, format: VariantKind): Promise<Buffer> {
  const animated = (kind === 'gif' || kind === 'webp') && (format === 'gif' || format === 'webp');
  const image = sharp(original, { limitInputPixels: MAX_PIXELS, animated }).resize({ width, withoutEnlargement: true });
  switch (format) {
    case 'webp':
      return image.webp({ quality: 75 }).toBuffer();
    case 'avif':
      return image.avif({ quality: 50 }).toBuffer();
    default:
      return encoders[format](image).toBuffer();
  }
}
