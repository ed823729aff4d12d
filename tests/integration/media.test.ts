/**
 * The media library against a real PostgreSQL: uploads of every accepted format (cleaned of
 * metadata, deduplicated), refusals, serving originals and generated sizes with their headers, the
 * permission rules for alt text and deletion, and POST /api/media called as a browser (or an
 * attacker) would.
 */
import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, media, mediaBlobs, posts } from '@/db/schema';
import { AuthError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { env } from '@/lib/env';
import { checkSize, FileTooLargeError } from '@/lib/media/images';
import { deleteMedia, updateMediaAlt, uploadMedia } from '@/lib/media/mutations';
import { getMedia, listMedia, type MediaItem } from '@/lib/media/queries';
import { NOT_AN_IMAGE } from '@/lib/media/sniff';
import { parseMediaUrl, variantUrl } from '@/lib/media/urls';
import { GET } from '@/app/media/[...path]/route';
import { POST } from '@/app/api/media/route';
import { resetDatabase } from '../support/db';
import { insertCast, insertPost, signInAs, type Cast } from '../support/actors';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;
let colour = 0;

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(cast.A);
});

type Format = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

/** A real image, a different colour each call (so each is a distinct upload unless reused). */
async function image(format: Format, width = 1000, height = 600): Promise<Buffer> {
  colour += 1;
  const background = { r: (colour * 37) % 256, g: (colour * 91) % 256, b: (colour * 53) % 256 };
  return sharp({ create: { width, height, channels: 3, background } })
    .toFormat(format)
    .toBuffer();
}

const fileOf = (data: Buffer | string, name: string, type = 'image/png') => new File([typeof data === 'string' ? data : new Uint8Array(data)], name, { type });
const fixture = (name: string) => readFileSync(new URL(`../fixtures/media/${name}`, import.meta.url));

async function blobs() {
  return getDb().select({ key: mediaBlobs.key, data: mediaBlobs.data, contentType: mediaBlobs.contentType }).from(mediaBlobs).orderBy(mediaBlobs.key);
}
async function storedOriginal(item: MediaItem): Promise<Buffer> {
  const [row] = await getDb().select({ data: mediaBlobs.data }).from(mediaBlobs).where(eq(mediaBlobs.key, item.id));
  return Buffer.from(row.data);
}
async function audits(action: string) {
  return getDb().select().from(auditLog).where(eq(auditLog.action, action));
}
const fetchMedia = (path: string, headers: Record<string, string> = {}) => GET(new Request(`http://localhost${path}`, { headers }));

describe('uploadMedia', () => {
  it.each([
    ['jpeg', 'image/jpeg', 'jpg'],
    ['png', 'image/png', 'png'],
    ['webp', 'image/webp', 'webp'],
    ['avif', 'image/avif', 'avif'],
    ['gif', 'image/gif', 'gif'],
  ] as const)('accepts %s, stores it cleaned and describes it', async (format, contentType, ext) => {
    // The browser's name and type are ignored: only the bytes count.
    const item = await uploadMedia({ file: fileOf(await image(format), 'My Holiday Photo.bin', 'application/octet-stream'), alt: ' A view ' });
    expect(item).toMatchObject({
      contentType,
      width: 1000,
      height: 600,
      alt: 'A view',
      filename: `my-holiday-photo.${ext}`,
      uploaderName: 'Ada Author',
      usedBy: [],
      canEdit: true,
      canDelete: true,
    });
    expect(item.url).toBe(`/media/${item.id}/1000x600/my-holiday-photo.${ext}`);
    expect(parseMediaUrl(item.url)).toEqual({ id: item.id, width: 1000, height: 600, filename: item.filename });
    const stored = await storedOriginal(item);
    expect(item.bytes).toBe(stored.length);
    const meta = await sharp(stored).metadata();
    expect(meta.format === 'heif' ? 'avif' : meta.format).toBe(format);
    expect(await audits('media.upload')).toHaveLength(1);
  });

  it('strips EXIF (GPS) and turns the image upright by its orientation', async () => {
    const base = sharp({ create: { width: 400, height: 200, channels: 3, background: '#c33' } }).jpeg();
    const withGps = await base
      .clone()
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .toBuffer();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    const gpsItem = await uploadMedia({ file: fileOf(withGps, 'gps.jpg') });
    expect((await sharp(await storedOriginal(gpsItem)).metadata()).exif).toBeUndefined();

    const rotated = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#3c3' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(rotated).metadata()).orientation).toBe(6);
    const item = await uploadMedia({ file: fileOf(rotated, 'sideways.jpg') });
    expect([item.width, item.height]).toEqual([200, 400]);
    const meta = await sharp(await storedOriginal(item)).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([200, 400]);
  });

  it('keeps the frames of an animated GIF, with the size of one frame', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 40, height: 30, channels: 3, background } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame('#f00'), await frame('#00f')], { join: { animated: true } })
      .gif()
      .toBuffer();
    const item = await uploadMedia({ file: fileOf(gif, 'blink.gif') });
    expect([item.width, item.height]).toEqual([40, 30]);
    expect((await sharp(await storedOriginal(item)).metadata()).pages).toBe(2);
  });

  it('refuses anything that is not one of the five formats, whatever its name, and stores nothing', async () => {
    const cases = [
      fileOf(fixture('script.png'), 'script.png', 'image/png'),
      fileOf(fixture('drawing.svg'), 'drawing.svg', 'image/svg+xml'),
      fileOf((await image('png')).subarray(0, 40), 'truncated.png'),
      fileOf(
        await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
          .tiff()
          .toBuffer(),
        'scan.tiff',
      ),
      fileOf('', 'empty.png'),
    ];
    for (const file of cases) {
      const refusal = uploadMedia({ file });
      await expect(refusal).rejects.toBeInstanceOf(ValidationError);
      await expect(refusal).rejects.toThrow(NOT_AN_IMAGE);
    }
    expect(await getDb().select().from(media)).toEqual([]);
    expect(await blobs()).toEqual([]);
  });

  it('refuses a file over the size limit before reading it, and images over 50 megapixels', async () => {
    const max = env().MEDIA_MAX_BYTES;
    expect(max).toBe(20 * 1024 * 1024);
    const huge = fileOf(Buffer.alloc(max + 1), 'huge.jpg');
    await expect(uploadMedia({ file: huge })).rejects.toThrow(new FileTooLargeError(max));
    await expect(uploadMedia({ file: huge })).rejects.toThrow('The file is larger than 20 MB.');
    expect(() => checkSize(1001, 1000)).toThrow(FileTooLargeError);
    expect(() => checkSize(1000, 1000)).not.toThrow();
    // A small PNG that claims 10000 × 6000 pixels: refused from its header, never decoded.
    const bomb = await sharp({ create: { width: 10_000, height: 6_000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(max);
    await expect(uploadMedia({ file: fileOf(bomb, 'bomb.png') })).rejects.toThrow('The image is larger than 50 megapixels.');
    expect(await getDb().select().from(media)).toEqual([]);
  });

  it('returns the existing image when the same one is uploaded again', async () => {
    const bytes = await image('png');
    const first = await uploadMedia({ file: fileOf(bytes, 'one.png') });
    signInAs(cast.E);
    const second = await uploadMedia({ file: fileOf(bytes, 'two.png') });
    expect(second.id).toBe(first.id);
    expect(second.filename).toBe('one.png');
    expect(await getDb().select().from(media)).toHaveLength(1);
    expect(await blobs()).toHaveLength(1);
    // Concurrent duplicates are serialised too.
    const again = await image('png');
    const [a, b] = await Promise.all([uploadMedia({ file: fileOf(again, 'a.png') }), uploadMedia({ file: fileOf(again, 'b.png') })]);
    expect(a.id).toBe(b.id);
    expect(await getDb().select().from(media)).toHaveLength(2);
  });

  it('needs a signed-in, enabled account', async () => {
    const file = fileOf(await image('png'), 'x.png');
    signInAs(null);
    await expect(uploadMedia({ file })).rejects.toThrow(AuthError);
    signInAs(cast.D);
    await expect(uploadMedia({ file })).rejects.toThrow(AuthError);
  });

  it('lets contributors upload for their own editable posts and into the library, not for others', async () => {
    const own = await insertPost({ author: cast.C, status: 'draft' });
    const ownPublished = await insertPost({ author: cast.C, status: 'published' });
    const others = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.C);
    await expect(uploadMedia({ file: fileOf(await image('png'), 'x.png'), postId: others.id })).rejects.toThrow(NotFoundError);
    await expect(uploadMedia({ file: fileOf(await image('png'), 'x.png'), postId: ownPublished.id })).rejects.toThrow(ForbiddenError);
    await expect(uploadMedia({ file: fileOf(await image('png'), 'x.png'), postId: 'not-a-uuid' })).rejects.toThrow(ValidationError);
    expect(await getDb().select().from(media)).toEqual([]);
    const forPost = await uploadMedia({ file: fileOf(await image('png'), 'x.png'), postId: own.id });
    const library = await uploadMedia({ file: fileOf(await image('png'), 'y.png') });
    expect(forPost.canEdit && library.canDelete).toBe(true);
    // Editors may upload for anyone's post.
    signInAs(cast.E);
    await expect(uploadMedia({ file: fileOf(await image('png'), 'z.png'), postId: others.id })).resolves.toMatchObject({ width: 1000 });
  });
});

describe('GET /media/…', () => {
  it('serves the original with immutable caching and defensive headers', async () => {
    const item = await uploadMedia({ file: fileOf(await image('png'), 'chart.png') });
    const response = await fetchMedia(item.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get('content-length')).toBe(String(body.length));
    expect(body.equals(await storedOriginal(item))).toBe(true);
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await fetchMedia(item.url, { 'If-None-Match': etag! });
    expect(again.status).toBe(304);
  });

  it('generates a variant on first request, stores it, and serves it from storage afterwards', async () => {
    const item = await uploadMedia({ file: fileOf(await image('jpeg'), 'photo.jpg') });
    const url = variantUrl(item, 640, 'webp');
    const first = await fetchMedia(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/webp');
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('etag')).toMatch(/-w640\.webp"$/);
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(first.headers.get('content-length')).toBe(String(bytes.length));
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 640, 384]);
    const key = `${item.id}/w640.webp`;
    expect((await blobs()).map((blob) => blob.key)).toEqual([item.id, key]);

    // Replace the stored bytes: the next answer must be those, not a fresh rendering.
    const marker = await sharp({ create: { width: 640, height: 384, channels: 3, background: '#000' } })
      .webp()
      .toBuffer();
    await getDb().update(mediaBlobs).set({ data: marker }).where(eq(mediaBlobs.key, key));
    const second = await fetchMedia(url);
    expect(second.status).toBe(200);
    expect(Buffer.from(await second.arrayBuffer()).equals(marker)).toBe(true);

    const avif = await fetchMedia(variantUrl(item, 320, 'avif'));
    expect(avif.status).toBe(200);
    expect(avif.headers.get('content-type')).toBe('image/avif');
    const original = await fetchMedia(variantUrl(item, 960, 'original'));
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect((await sharp(Buffer.from(await original.arrayBuffer())).metadata()).width).toBe(960);
  });

  it('survives two simultaneous first requests for the same variant', async () => {
    const item = await uploadMedia({ file: fileOf(await image('png'), 'pair.png') });
    const url = variantUrl(item, 320, 'webp');
    const responses = await Promise.all([fetchMedia(url), fetchMedia(url), fetchMedia(url)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await blobs()).filter((blob) => blob.key === `${item.id}/w320.webp`)).toHaveLength(1);
  });

  it('answers 404 for unknown ids, wrong dimensions, unlisted widths and other names', async () => {
    const item = await uploadMedia({ file: fileOf(await image('png'), 'chart.png') });
    const base = `/media/${item.id}/1000x600`;
    for (const path of [
      `/media/00000000-0000-4000-8000-000000000000/1000x600/chart.png`,
      `/media/not-a-uuid/1000x600/chart.png`,
      `/media/${item.id}/1000x601/chart.png`,
      `/media/${item.id}/600x1000/chart.png`,
      `${base}/other.png`,
      `${base}/w500.webp`, // not a listed width
      `${base}/w1280.webp`, // listed, but not smaller than the original
      `${base}/w1920.webp`,
      `${base}/w640.gif`, // neither webp, avif nor the original's format
      `${base}/w640.jpg`,
      `${base}/w0640.webp`,
      `${base}/..%2f..%2fetc%2fpasswd`,
      `/media/${item.id}`,
    ]) {
      const response = await fetchMedia(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(await blobs()).toHaveLength(1); // nothing was generated
  });
});

describe('alt text and deletion', () => {
  it('lets the uploader and editors change alt text, nobody else', async () => {
    const item = await uploadMedia({ file: fileOf(await image('png'), 'x.png') });
    for (const other of [cast.A2, cast.C]) {
      signInAs(other);
      await expect(updateMediaAlt({ id: item.id, alt: 'nope' })).rejects.toThrow(ForbiddenError);
      expect((await getMedia(item.id))?.canEdit).toBe(false);
    }
    signInAs(cast.E);
    expect((await updateMediaAlt({ id: item.id, alt: 'By the editor' })).alt).toBe('By the editor');
    signInAs(cast.A);
    expect((await updateMediaAlt({ id: item.id, alt: '  By the author ' })).alt).toBe('By the author');
    await expect(updateMediaAlt({ id: '00000000-0000-4000-8000-000000000000', alt: 'x' })).rejects.toThrow(NotFoundError);
    expect(await audits('media.alt')).toHaveLength(2);
  });

  it('refuses to delete an image a post uses, and deletes it with its variants once unused', async () => {
    const item = await uploadMedia({ file: fileOf(await image('png'), 'x.png') });
    await fetchMedia(variantUrl(item, 640, 'webp'));
    // A post the uploader cannot even see uses it (an absolute URL counts too).
    const post = await insertPost({ author: cast.A2, status: 'draft', markdown: `Look:\n\n![x](https://example.com${item.url})\n` });
    await expect(deleteMedia({ id: item.id })).rejects.toThrow(new ConflictError('This image is used by 1 post(s); remove it from them first.'));
    const seenByAuthor = await getMedia(item.id);
    expect(seenByAuthor).toMatchObject({ usedBy: [], canDelete: false });
    signInAs(cast.E);
    expect(await getMedia(item.id)).toMatchObject({ usedBy: [{ id: post.id, title: post.title }], canDelete: false });
    // As a hero image.
    await getDb().update(posts).set({ markdown: 'Nothing here.', heroImage: item.url }).where(eq(posts.id, post.id));
    await expect(deleteMedia({ id: item.id })).rejects.toThrow(ConflictError);
    await getDb().update(posts).set({ heroImage: null }).where(eq(posts.id, post.id));

    signInAs(cast.A2);
    await expect(deleteMedia({ id: item.id })).rejects.toThrow(ForbiddenError);
    signInAs(cast.A);
    await deleteMedia({ id: item.id });
    expect(await getDb().select().from(media)).toEqual([]);
    expect(await blobs()).toEqual([]);
    expect((await fetchMedia(item.url)).status).toBe(404);
    expect(await audits('media.delete')).toHaveLength(1);
    await expect(deleteMedia({ id: item.id })).rejects.toThrow(NotFoundError);
  });

  it('lets editors delete anyone’s unused image', async () => {
    signInAs(cast.C);
    const item = await uploadMedia({ file: fileOf(await image('png'), 'x.png') });
    signInAs(cast.E);
    await deleteMedia({ id: item.id });
    expect(await getDb().select().from(media)).toEqual([]);
  });
});

describe('listMedia', () => {
  it('pages newest first, 40 at a time, and searches file names and alt text', async () => {
    await getDb().execute(sql`
      insert into media (storage_key, filename, content_type, bytes, width, height, alt, sha256, uploader_id, created_at)
      select 'k' || n, 'file-' || n || '.png', 'image/png', 10, 10, 10, case when n = 7 then 'A Red Balloon' else '' end,
             md5(n::text), ${cast.A.id}::uuid, now() - make_interval(mins => n)
        from generate_series(1, 45) as n`);
    const first = await listMedia({ q: '', after: null });
    expect(first.items).toHaveLength(40);
    expect(first.items[0].filename).toBe('file-1.png');
    expect(first.nextCursor).not.toBeNull();
    const second = await listMedia({ q: '', after: first.nextCursor });
    expect(second.items.map((item) => item.filename)).toEqual([41, 42, 43, 44, 45].map((n) => `file-${n}.png`));
    expect(second.nextCursor).toBeNull();
    expect((await listMedia({ q: 'red balloon', after: null })).items.map((item) => item.filename)).toEqual(['file-7.png']);
    expect((await listMedia({ q: 'FILE-12', after: null })).items.map((item) => item.filename)).toEqual(['file-12.png']);
    expect((await listMedia({ q: '%', after: null })).items).toEqual([]);
    signInAs(null);
    await expect(listMedia({ q: '', after: null })).rejects.toThrow(AuthError);
  });
});

describe('POST /api/media', () => {
  const origin = () => new URL(env().SITE_URL).origin;
  function upload(form: FormData, headers: Record<string, string> = {}) {
    return POST(new Request(`${origin()}/api/media`, { method: 'POST', body: form, headers: { Origin: origin(), ...headers } }));
  }
  async function form(fields: Record<string, string | File>) {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) data.append(key, value);
    return data;
  }

  it('uploads and answers 201 with the item and its markdown', async () => {
    const response = await upload(await form({ file: fileOf(await image('webp'), 'Bay [at] dusk.webp'), alt: 'The bay [at] dusk' }));
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.ok).toBe(true);
    expect(body.media.url).toMatch(/^\/media\/[0-9a-f-]{36}\/1000x600\/bay-at-dusk\.webp$/);
    expect(body.markdown).toBe(`![The bay \\[at\\] dusk](${body.media.url})`);
  });

  it('refuses signed-out (401), cross-origin (403), non-images (400), unknown posts (404) and oversize bodies (413)', async () => {
    const png = await image('png');
    signInAs(null);
    let response = await upload(await form({ file: fileOf(png, 'x.png') }));
    expect([response.status, (await response.json()).ok]).toEqual([401, false]);
    signInAs(cast.A);
    response = await upload(await form({ file: fileOf(png, 'x.png') }), { Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toBe('Uploads are only accepted from this site.');
    response = await upload(await form({ file: fileOf(fixture('script.png'), 'script.png') }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe(NOT_AN_IMAGE);
    response = await upload(await form({ alt: 'no file' }));
    expect(response.status).toBe(400);
    response = await POST(new Request(`${origin()}/api/media`, { method: 'POST', body: 'file=x', headers: { 'Content-Type': 'text/plain' } }));
    expect(response.status).toBe(400);
    response = await upload(await form({ file: fileOf(png, 'x.png'), postId: '00000000-0000-4000-8000-000000000000' }));
    expect(response.status).toBe(404);
    response = await POST(
      new Request(`${origin()}/api/media`, {
        method: 'POST',
        body: 'x',
        headers: { 'Content-Length': String(50 * 1024 * 1024), 'Content-Type': 'multipart/form-data; boundary=x' },
      }),
    );
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe('The file is larger than 20 MB.');
    // A body without a (truthful) Content-Length is counted while read.
    response = await upload(await form({ file: fileOf(Buffer.alloc(env().MEDIA_MAX_BYTES + 100 * 1024), 'big.png') }));
    expect(response.status).toBe(413);
    expect(await getDb().select().from(media)).toEqual([]);
  });

  it('refuses a contributor uploading for someone else’s post (404) or a post they may not edit (403)', async () => {
    const others = await insertPost({ author: cast.A, status: 'draft' });
    const ownPublished = await insertPost({ author: cast.C, status: 'published' });
    signInAs(cast.C);
    expect((await upload(await form({ file: fileOf(await image('png'), 'x.png'), postId: others.id }))).status).toBe(404);
    expect((await upload(await form({ file: fileOf(await image('png'), 'x.png'), postId: ownPublished.id }))).status).toBe(403);
  });
});
