import 'server-only';
import { getMediaFile, type MediaFile } from './queries';
import { makeVariant, type VariantKind } from './images';
import { IMAGE_TYPES, type ImageKind } from './sniff';
import { getStorage, type StoredObject } from './storage';
import { MEDIA_ID_PATTERN, VARIANT_WIDTHS } from './urls';

/**
 * Answers GET /media/<id>/<W>x<H>/<name>: the cleaned original, or a smaller WebP/AVIF/same-format
 * copy generated on its first request and then kept by the storage driver. Public: images appear in
 * published articles, and their ids are unguessable.
 */

const CONTENT_TYPES: Record<VariantKind, string> = {
  ...Object.fromEntries(Object.entries(IMAGE_TYPES).map(([kind, type]) => [kind, type.contentType])),
} as Record<VariantKind, string>;

const KIND_BY_TYPE = Object.fromEntries(Object.entries(IMAGE_TYPES).map(([kind, type]) => [type.contentType, kind])) as Record<string, ImageKind>;

/** Security headers for every answer: the bytes are images and nothing else, even if opened directly. */
const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
};

export function notFound(): Response {
  return new Response('Not found.', {
    status: 404,
    headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=60' },
  });
}

type Wanted = { file: MediaFile; kind: ImageKind; key: string; variant: { width: number; format: VariantKind } | null; tag: string };

const PATH = /^\/media\/([^/]+)\/([1-9][0-9]{0,5})x([1-9][0-9]{0,5})\/([^/]+)$/;
const VARIANT = /^w([1-9][0-9]{0,4})\.([a-z0-9]+)$/;

async function resolve(pathname: string): Promise<Wanted | null> {
  const match = PATH.exec(pathname);
  if (!match || !MEDIA_ID_PATTERN.test(match[1])) return null;
  const [, id, w, h, name] = match;
  const file = await getMediaFile(id);
  if (!file || file.width !== Number(w) || file.height !== Number(h)) return null;
  const kind = KIND_BY_TYPE[file.contentType];
  if (!kind) return null;
  const etag = file.sha256.slice(0, 32);
  if (name === file.filename) return { file, kind, key: file.storageKey, variant: null, tag: `"${etag}"` };
  const variant = VARIANT.exec(name);
  if (!variant) return null;
  const width = Number(variant[1]);
  // Only the listed widths, and only below the original's: nobody can make us render arbitrary sizes.
  if (!(VARIANT_WIDTHS as readonly number[]).includes(width) || width >= file.width) return null;
  const ext = variant[2];
  const format: VariantKind | null = ext === 'webp' ? 'webp' : ext === 'avif' ? 'avif' : ext === IMAGE_TYPES[kind].ext ? kind : null;
  if (!format) return null;
  return { file, kind, key: `${file.storageKey}/w${width}.${ext}`, variant: { width, format }, tag: `"${etag}-w${width}.${ext}"` };
}

/** One generation per variant per process at a time; across processes the driver's upsert makes a race harmless. */
const pending = new Map<string, Promise<StoredObject | null>>();

async function generate(wanted: Wanted & { variant: NonNullable<Wanted['variant']> }): Promise<StoredObject | null> {
  const storage = getStorage();
  const original = await storage.get(wanted.file.storageKey);
  if (!original) {
    console.error('[media] original missing from storage', wanted.file.id);
    return null;
  }
  const data = await makeVariant(original.data, wanted.kind, wanted.variant.width, wanted.variant.format);
  const contentType = CONTENT_TYPES[wanted.variant.format];
  await storage.put(wanted.key, data, contentType);
  return { data, contentType };
}

async function load(wanted: Wanted): Promise<StoredObject | null> {
  const stored = await getStorage().get(wanted.key);
  if (stored || !wanted.variant) return stored;
  let job = pending.get(wanted.key);
  if (!job) {
    job = generate({ ...wanted, variant: wanted.variant }).finally(() => pending.delete(wanted.key));
    pending.set(wanted.key, job);
  }
  return job;
}

export async function mediaResponse(request: Request): Promise<Response> {
  const wanted = await resolve(new URL(request.url).pathname);
  if (!wanted) return notFound();
  const headers = {
    ...BASE_HEADERS,
    'Cache-Control': 'public, max-age=31536000, immutable',
    ETag: wanted.tag,
  };
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === wanted.tag)) {
    return new Response(null, { status: 304, headers });
  }
  const object = await load(wanted);
  if (!object) return notFound();
  return new Response(new Uint8Array(object.data), {
    status: 200,
    headers: { ...headers, 'Content-Type': object.contentType, 'Content-Length': String(object.data.length) },
  });
}
